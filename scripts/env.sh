# shellcheck shell=bash
# Sourced by ./uipc, ./run-tests and bench/run. Finds a JDK new enough for uipc and Maven, so
# that a user never sets JAVA_HOME or types a Maven command. Sets UIPC_JAVA_HOME and UIPC_MVN, or
# exits with a message that names everything it looked at.

# The JDK uipc needs is the POM's <uipc.jdk>, the release it compiles for: read, not repeated.
uipc_pom=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/pom.xml
UIPC_MIN_JDK=$(sed -n 's:^ *<uipc\.jdk>\([0-9][0-9]*\)</uipc\.jdk>.*:\1:p' "$uipc_pom" 2>/dev/null | head -n 1)
if [ -z "$UIPC_MIN_JDK" ]; then
  echo "uipc: cannot read the JDK it needs (the <uipc.jdk> property) from $uipc_pom; restore that file from git." >&2
  exit 1
fi
# Where JDKs are installed; overridable so that tests can present a machine without one.
UIPC_JVM_DIR=${UIPC_JVM_DIR:-/usr/lib/jvm}

# Major version of the JDK at $1, from its `release` file (JAVA_VERSION="25.0.3", "17.0.15",
# "1.8.0_412"), or by asking its java binary when the file is missing. Prints nothing if $1 is no JDK.
uipc_jdk_major() {
  local home=$1 version=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -r "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [ -z "$version" ]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  case $version in
    1.*) version=${version#1.} ;;
  esac
  printf '%s\n' "${version%%[.+_-]*}"
}

uipc_find_jdk() {
  local looked="" home major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(uipc_jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$UIPC_MIN_JDK" ]; then
      UIPC_JAVA_HOME=$JAVA_HOME
      return 0
    fi
    if [ -n "$major" ]; then
      looked="JAVA_HOME=$JAVA_HOME (JDK $major)"
    else
      looked="JAVA_HOME=$JAVA_HOME (not a JDK)"
    fi
  else
    looked="JAVA_HOME (not set)"
  fi
  for home in "$UIPC_JVM_DIR"/*; do
    [ -d "$home" ] || continue
    [ -L "$home" ] && continue   # Debian keeps alias links beside the real directories
    major=$(uipc_jdk_major "$home")
    [ -n "$major" ] || continue
    looked="$looked, $home (JDK $major)"
    if [ "$major" -ge "$UIPC_MIN_JDK" ] && [ "$major" -gt "$best_major" ]; then
      best=$home
      best_major=$major
    fi
  done
  if [ -n "$best" ]; then
    UIPC_JAVA_HOME=$best
    return 0
  fi
  if command -v javac >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(uipc_jdk_major "$home")
    if [ -n "$major" ] && [ "$major" -ge "$UIPC_MIN_JDK" ]; then
      UIPC_JAVA_HOME=$home
      return 0
    fi
    looked="$looked, javac on PATH ($home${major:+, JDK $major})"
  fi
  {
    echo "uipc: needs a JDK $UIPC_MIN_JDK or newer and found none; install one (for example Temurin $UIPC_MIN_JDK under $UIPC_JVM_DIR) or point JAVA_HOME at one."
    echo "uipc: looked at: $looked."
  } >&2
  exit 127
}

uipc_find_maven() {
  if command -v mvn >/dev/null 2>&1; then
    UIPC_MVN=$(command -v mvn)
    return 0
  fi
  echo "uipc: needs Apache Maven (mvn) on PATH to build itself; install it (apt install maven)." >&2
  exit 127
}

uipc_find_jdk
uipc_find_maven
export JAVA_HOME=$UIPC_JAVA_HOME
# Maven 3.8's own Guava calls sun.misc.Unsafe, which JDK 24+ reports on every run; that noise is
# Maven's, not ours, so quiet it (the flag exists from JDK 23).
if [ "$(uipc_jdk_major "$UIPC_JAVA_HOME")" -ge 23 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
