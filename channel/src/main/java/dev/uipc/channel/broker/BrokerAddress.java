package dev.uipc.channel.broker;

import dev.uipc.channel.ChannelException;
import dev.uipc.uring.Errno;
import dev.uipc.uring.ProcessIdentity;
import dev.uipc.uring.linux.PeerCredentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the broker is, by one rule for the library and the command alike
 * ({@code docs/LAYOUT.md} section 1): an explicit socket if one is named (the system property
 * {@value #PROPERTY} or the environment variable {@value #ENVIRONMENT}); else the system
 * broker, if its socket exists; else this user's own broker, started on demand. For root, its own
 * broker is the system broker.
 *
 * <p>And whether to trust what answers there: a socket is only as trustworthy as its directory,
 * so the directory must be a real directory (not a link) that only its owner can write, owned by
 * root or by the user the broker must be; and the process that answers must be that user
 * ({@code SO_PEERCRED}). Anything else could be a fake broker handing out memory of its choosing.
 *
 * @param socket the socket's path
 * @param kind   how it was chosen, which decides whom to trust
 * @param origin what named it, for messages: {@code UIPC_BROKER}, {@code -Duipc.broker}, or
 *               null when the program named it or the rule chose it
 */
public record BrokerAddress(Path socket, Kind kind, String origin) {
    /** System property naming the broker's socket. */
    public static final String PROPERTY = dev.uipc.channel.Registry.BROKER_PROPERTY;
    /** Environment variable naming the broker's socket, if the property is not set. */
    public static final String ENVIRONMENT = dev.uipc.channel.Registry.BROKER_ENVIRONMENT;
    /** The system broker's socket: serves every user; run by root. */
    public static final Path SYSTEM_SOCKET = Path.of("/run/uipc/broker.sock");

    /** How the address was chosen. */
    public enum Kind {
        /** Named by the caller: trusted if root or the directory's owner answers. */
        EXPLICIT,
        /** The system broker: root must answer. */
        SYSTEM,
        /** This user's own broker (root's is the system broker's socket): this user must answer; started on demand. */
        USER
    }

    /** An address that no setting named: the program's own, or the one the rule chose. */
    public BrokerAddress(Path socket, Kind kind) {
        this(socket, kind, null);
    }

    /** The address the rule picks now. */
    public static BrokerAddress resolve() {
        return resolve(System.getProperty(PROPERTY), System.getenv());
    }

    static BrokerAddress resolve(String property, Map<String, String> environment) {
        boolean fromProperty = property != null && !property.isBlank();
        String explicit = fromProperty ? property : environment.get(ENVIRONMENT);
        if (explicit != null && !explicit.isBlank()) {
            String origin = fromProperty ? "-D" + PROPERTY : ENVIRONMENT;
            Path path;
            try {
                path = Path.of(explicit);
            } catch (java.nio.file.InvalidPathException e) {
                throw new ChannelException(Errno.EINVAL, origin + "=" + explicit + " is not a path (" + e.getReason()
                        + "); name the broker's socket, such as /run/myapp/broker.sock");
            }
            if (!path.isAbsolute()) {
                throw new ChannelException(Errno.EINVAL, origin + "=" + explicit + " is not an absolute path; name the "
                        + "broker's socket from the root, such as " + Path.of("/run/myapp", path.getFileName().toString())
                        + ", since every peer must find the same one");
            }
            return new BrokerAddress(path, Kind.EXPLICIT, origin);
        }
        if (Files.exists(SYSTEM_SOCKET, LinkOption.NOFOLLOW_LINKS)) {
            return new BrokerAddress(SYSTEM_SOCKET, Kind.SYSTEM);
        }
        return new BrokerAddress(userSocket(environment), Kind.USER);
    }

    /**
     * This user's broker socket: root's is the system socket; others' is under
     * {@code $XDG_RUNTIME_DIR/uipc} if that runtime directory is theirs, else under
     * {@code /tmp/uipc-<uid>}.
     */
    static Path userSocket(Map<String, String> environment) {
        int uid = ProcessIdentity.uid();
        if (uid == 0) {
            return SYSTEM_SOCKET;
        }
        String runtime = environment.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()
                && ownedPrivately(Path.of(runtime), uid)) {
            return Path.of(runtime, "uipc", "broker.sock");
        }
        return Path.of("/tmp", "uipc-" + uid, "broker.sock");
    }

    private static boolean ownedPrivately(Path dir, int uid) {
        try {
            Map<String, Object> a = Files.readAttributes(dir, "unix:uid,mode,isDirectory", LinkOption.NOFOLLOW_LINKS);
            return (Boolean) a.get("isDirectory") && (Integer) a.get("uid") == uid && ((Integer) a.get("mode") & 077) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether a client that finds no broker here starts one. */
    public boolean startsOnDemand() {
        return kind == Kind.USER;
    }

    /** The uid the broker must run as, or -1 when the socket's directory decides (explicit). */
    int expectedUid() {
        return switch (kind) {
            case SYSTEM -> 0;
            case USER -> ProcessIdentity.uid();
            case EXPLICIT -> -1;
        };
    }

    /**
     * Checks the socket's directory: a directory, not a link, writable by its owner alone, and
     * owned by root or by the broker's user. Returns that owner.
     *
     * @throws ChannelException ENOENT if it does not exist, EPERM if it could let someone else
     *                          put a socket there
     */
    int checkDirectory() {
        Path dir = socket.toAbsolutePath().getParent();
        Map<String, Object> a;
        try {
            a = Files.readAttributes(dir, "unix:uid,mode,isDirectory,isSymbolicLink", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ChannelException(Errno.ENOENT, "no broker runs at " + socket + named() + ": its directory " + dir
                    + " does not exist" + hint());
        } catch (IOException e) {
            throw new ChannelException(Errno.EACCES, "cannot look at the broker's directory " + dir + ": " + e);
        }
        int owner = (Integer) a.get("uid");
        int mode = (Integer) a.get("mode");
        if ((Boolean) a.get("isSymbolicLink") || !(Boolean) a.get("isDirectory")) {
            throw refuse(dir + " is not a directory but a link or a file", "name a socket in a real directory");
        }
        if ((mode & 022) != 0) {
            throw refuse(dir + " is writable by " + ((mode & 002) != 0 ? "every user" : "its group") + " (mode "
                    + String.format("%04o", mode & 07777) + "), so anyone could have put a socket there",
                    "run the broker with --socket in a directory only its owner can write, such as one made by mkdir -m 0700");
        }
        int expected = expectedUid();
        if (owner != 0 && expected >= 0 && owner != expected) {
            throw refuse(dir + " belongs to uid " + owner + ", not to root or uid " + expected,
                    "use a broker of root's or your own");
        }
        return owner;
    }

    /**
     * Checks who answered: the broker's user, or (explicit) root or the owner of the socket's
     * directory.
     */
    void checkPeer(PeerCredentials peer, int directoryOwner) {
        int expected = expectedUid();
        boolean trusted = expected >= 0 ? peer.uid() == expected
                : peer.uid() == 0 || peer.uid() == directoryOwner;
        if (!trusted) {
            throw refuse("the process answering there (pid " + peer.pid() + ") runs as uid " + peer.uid() + ", not as "
                    + (expected >= 0 ? "uid " + expected : "root or uid " + directoryOwner + ", the directory's owner"),
                    "stop that process and start a broker of the right user there, or use another socket");
        }
    }

    private ChannelException refuse(String why, String whatToDo) {
        return new ChannelException(Errno.EPERM, "refusing the broker at " + socket + named() + ": " + why
                + ", and a fake broker could hand out memory of its choosing; " + whatToDo);
    }

    /** What to do when no broker answers here, as the end of a sentence. */
    String hint() {
        return switch (kind) {
            case EXPLICIT -> "; start one there (uipc broker --socket " + socket + ")"
                    + (origin != null ? ", or unset " + origin + " to use the default broker" : "");
            case SYSTEM -> "; ask root to start it (uipc broker, or its service), or to remove the stale socket so that "
                    + "each user's own broker serves instead";
            case USER -> "; one is started on demand";
        };
    }

    /** Where this address came from, for messages: " (named by UIPC_BROKER)", " (the system broker)" ... */
    String named() {
        return switch (kind) {
            case EXPLICIT -> origin != null ? " (named by " + origin + ")" : "";
            case SYSTEM -> " (the system broker)";
            case USER -> " (this user's own broker)";
        };
    }

    /**
     * Checks what is at the socket's path before connecting, so that a path naming a directory
     * or a file gets a sentence, not "connection refused".
     *
     * @throws ChannelException EISDIR for a directory, ENOTSOCK for anything else that is not a
     *                          socket
     */
    void checkSocketFile() {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(socket, "unix:mode,isDirectory");      // a link to a socket will do
        } catch (IOException e) {
            return;                                   // nothing there: connecting says so
        }
        int type = (Integer) a.get("mode") & 0170000;
        String unset = origin != null ? ", or unset " + origin + " to use the default broker" : "";
        if ((Boolean) a.get("isDirectory")) {
            throw new ChannelException(Errno.EISDIR, socket + named() + " is a directory, not a broker's socket; name "
                    + "the socket in it, such as " + socket.resolve("broker.sock") + unset);
        }
        if (type != 0140000) {
            String what = switch (type) {
                case 0100000 -> "a regular file";
                case 0010000 -> "a FIFO";
                default -> "not a socket";
            };
            throw new ChannelException(Errno.ENOTSOCK, socket + named() + " is " + what + ", not a broker's socket; name "
                    + "the socket a broker listens on (uipc broker --socket PATH makes one)" + unset);
        }
    }

    /**
     * Another broker whose socket exists where peers that are not told otherwise would look,
     * when this address is an explicit one: peers using it and peers using this one never see
     * each other's channels. Returns a sentence saying so, or null.
     */
    public String otherBroker() {
        return otherBroker(SYSTEM_SOCKET, userSocket(System.getenv()));
    }

    /** {@link #otherBroker()}, with the places the rule would look given. */
    String otherBroker(Path systemSocket, Path userSocket) {
        if (kind != Kind.EXPLICIT) {
            return null;
        }
        Path other = Files.exists(systemSocket, LinkOption.NOFOLLOW_LINKS) ? systemSocket : userSocket;
        if (other.equals(socket) || !Files.exists(other, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        String whose = other.equals(systemSocket) ? "the system broker" : "this user's own broker";
        return whose + " at " + other + " also runs, and processes that do not set "
                + (origin != null ? origin : ENVIRONMENT) + " use it, so they and this one never see each other's channels";
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " broker at " + socket;
    }
}
