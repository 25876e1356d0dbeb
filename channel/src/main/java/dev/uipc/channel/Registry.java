package dev.uipc.channel;

import dev.uipc.channel.layout.ChannelGeometry;
import dev.uipc.channel.layout.RingFileDescriptor;
import dev.uipc.channel.memory.ChannelFormat;
import dev.uipc.channel.memory.ChannelHeader;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.waiting.Doorbells;
import dev.uipc.uring.Errno;
import dev.uipc.uring.ProcessIdentity;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;


/**
 * The directory where channels live, and the channel calls of the RFC: create, attach,
 * destroy; plus listing and status for observers. {@code docs/LAYOUT.md} section 1.
 *
 * <p>The root is {@code /dev/shm/uipc} unless the system property {@code uipc.root} or the
 * environment variable {@code UIPC_ROOT} names another (the property wins); it is created
 * sticky and world-writable, as {@code /tmp} is.
 *
 * <p>A channel dies with the process that created it, unless created persistent: the next
 * process that creates, lists or attaches through the registry destroys it. Thread-safe.
 */
public final class Registry {
    /** System property naming the registry root. */
    public static final String ROOT_PROPERTY = "uipc.root";
    /** Environment variable naming the registry root, if the property is not set. */
    public static final String ROOT_ENVIRONMENT = "UIPC_ROOT";
    public static final Path DEFAULT_ROOT = Path.of("/dev/shm/uipc");

    /** Temporary files older than this are debris of a crashed creator, whoever it was. */
    private static final long STALE_TEMP_MILLIS = TimeUnit.MINUTES.toMillis(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;

    private Registry(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The registry at the configured root (property, environment, or /dev/shm/uipc). */
    public static Registry open() {
        return at(defaultRoot());
    }

    /** The registry at {@code root}; tests use private roots. */
    public static Registry at(Path root) {
        return new Registry(root);
    }

    /** The root {@link #open()} uses. */
    public static Path defaultRoot() {
        String property = System.getProperty(ROOT_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String environment = System.getenv(ROOT_ENVIRONMENT);
        if (environment != null && !environment.isBlank()) {
            return Path.of(environment);
        }
        return DEFAULT_ROOT;
    }

    public Path root() {
        return root;
    }

    // --- create ---------------------------------------------------------------------------------

    /**
     * Creates a channel. The returned handle belongs to this process: closing it destroys the
     * channel unless it is persistent, and so does this process's death.
     *
     * @throws ChannelException EINVAL for invalid options (with the reason), EEXIST if the key is
     *                          in use by a live channel, EACCES if the root is not writable
     */
    public Channel create(ChannelOptions options) {
        String problem = options.problem();
        if (problem != null) {
            throw new ChannelException(Errno.EINVAL, problem);
        }
        ensureRoot();
        try (RegistryLock lock = RegistryLock.acquire(root)) {
            reapLocked();
            if (options.key() != 0) {
                Path keyLink = ChannelFiles.key(root, options.key());
                int existing = readKey(keyLink);
                if (existing > 0) {
                    if (Files.exists(ChannelFiles.ring(root, existing))) {
                        throw new ChannelException(Errno.EEXIST, "key " + ChannelFiles.keyText(options.key())
                                + " is in use by channel " + existing + "; destroy it first, or choose another key");
                    }
                    deleteQuietly(keyLink);         // its channel is gone
                }
            }
            int id = allocateId();
            long incarnation = RANDOM.nextLong();
            writeChannel(id, options, incarnation);
            if (options.key() != 0) {
                try {
                    Files.createSymbolicLink(ChannelFiles.key(root, options.key()), Path.of(Integer.toString(id)));
                } catch (IOException e) {
                    deleteQuietly(ChannelFiles.ring(root, id));
                    deleteQuietly(ChannelFiles.control(root, id));
                    throw ioFailure("name channel " + id + " by its key", e);
                }
            }
            return new Channel(this, id, options, incarnation);
        }
    }

    private void ensureRoot() {
        if (Files.isDirectory(root)) {
            return;
        }
        try {
            Files.createDirectories(root.getParent());
            Files.createDirectory(root);
            // Sticky and world-writable, as /tmp: any user creates channels, only owners remove them.
            Files.setAttribute(root, "unix:mode", 01777);
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(root)) {
                throw new ChannelException(Errno.ENOTDIR, root + " exists and is not a directory; remove it or set "
                        + ROOT_ENVIRONMENT + " to another path");
            }
        } catch (IOException e) {
            throw ioFailure("create the registry directory " + root, e);
        }
    }

    /** The next unused channel id; {@code next-id} holds it, checked against the files present. */
    private int allocateId() {
        Path counter = root.resolve(ChannelFiles.NEXT_ID);
        long id = 1;
        try {
            String text = Files.readString(counter, StandardCharsets.US_ASCII).trim();
            if (text.matches("\\d{1,10}")) {
                id = Math.max(1, Long.parseLong(text));
            }
        } catch (NoSuchFileException fresh) {
            // first channel in this registry
        } catch (IOException e) {
            throw ioFailure("read " + counter, e);
        }
        while (id <= Integer.MAX_VALUE && (Files.exists(ChannelFiles.ring(root, (int) id))
                || Files.exists(ChannelFiles.control(root, (int) id)))) {
            id++;
        }
        if (id > Integer.MAX_VALUE) {
            throw new ChannelException(Errno.ENOSPC, "the registry " + root + " has used every channel id");
        }
        try {
            Path temp = root.resolve(ChannelFiles.TEMP_PREFIX + "next-id-" + ProcessIdentity.pid());
            Files.writeString(temp, Long.toString(id + 1), StandardCharsets.US_ASCII);
            Files.setAttribute(temp, "unix:mode", 0666);
            Files.move(temp, counter, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AccessDeniedException e) {
            // next-id belongs to another user and the sticky bit keeps us from replacing it: the
            // existence check above still guarantees a fresh id.
        } catch (IOException e) {
            throw ioFailure("write " + counter, e);
        }
        return (int) id;
    }

    /**
     * Writes both files under temporary names, version last, sets their modes, and renames them
     * into place, control file first: no reader ever sees a half-made channel.
     */
    private void writeChannel(int id, ChannelOptions options, long incarnation) {
        ChannelGeometry g = new ChannelGeometry(options.entries(), options.maxMessageSize(), options.maxSubscribers());
        int permissions = options.permissions() & 0666;
        int flags = options.mode().flag() | (options.persistent() ? RingFileDescriptor.PERSISTENT : 0)
                | (options.isPrivate() ? RingFileDescriptor.PRIVATE : 0);
        long pid = ProcessIdentity.pid();
        Path tempRing = ChannelFiles.tempRing(root, id, pid);
        Path tempControl = ChannelFiles.tempControl(root, id, pid);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ring = createFile(tempRing, g.ringFileLength(), arena);
            MemorySegment ctl = createFile(tempControl, g.controlFileLength(), arena);

            ChannelFormat.write(ring, ctl, new ChannelHeader(id, incarnation, flags, options.key(), g, permissions,
                    ProcessIdentity.uid(), ProcessIdentity.gid(), ProcessIdentity.pid(), ProcessIdentity.startTime(),
                    System.currentTimeMillis()));
        } catch (IOException e) {
            deleteQuietly(tempRing);
            deleteQuietly(tempControl);
            throw ioFailure("create channel " + id + " in " + root, e);
        }
        try {
            Files.setAttribute(tempRing, "unix:mode", Permissions.ringFileMode(permissions));
            Files.setAttribute(tempControl, "unix:mode", Permissions.controlFileMode(permissions));
            Files.move(tempControl, ChannelFiles.control(root, id), StandardCopyOption.ATOMIC_MOVE);
            Files.move(tempRing, ChannelFiles.ring(root, id), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tempRing);
            deleteQuietly(tempControl);
            deleteQuietly(ChannelFiles.control(root, id));
            throw ioFailure("publish channel " + id + " in " + root, e);
        }
    }

    /** A new sparse file of {@code length} bytes, mode 0600 until published, mapped read-write. */
    private static MemorySegment createFile(Path path, long length, Arena arena) throws IOException {
        try (FileChannel file = FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            file.write(ByteBuffer.allocate(1), length - 1);          // size it; tmpfs keeps it sparse
            return file.map(FileChannel.MapMode.READ_WRITE, 0, length, arena);
        }
    }

    // --- attach ---------------------------------------------------------------------------------

    /**
     * Attaches to the channel with key {@code key}, as the RFC does when its key is non-zero.
     *
     * @throws ChannelException ENOENT if no live channel has that key, EACCES if its permissions
     *                          do not allow {@code access}, ENOSPC if its subscriber table is full
     */
    public Subscriber attach(long key, Access access) {
        if (key == 0) {
            throw new ChannelException(Errno.EINVAL, "key 0 means no key; attach by channel id instead");
        }
        return attachById(idOf(key), access);
    }

    /** Attaches to channel {@code id}. */
    public Subscriber attachById(int id, Access access) {
        if (id <= 0) {
            throw new ChannelException(Errno.ENOENT, "no channel " + Integer.toUnsignedString(id)
                    + ": channel ids start at 1");
        }
        java.util.Objects.requireNonNull(access, "access");
        ChannelMemory memory = ChannelFiles.map(root, id, access.canSend(), true);
        try {
            ChannelHeader h = memory.header();
            if (access.canReceive() && !Permissions.allows(h.permissions(), h.ownerUid(), h.ownerGid(), Permissions.READ)) {
                throw denied(h, "receive", "r");
            }
            if (access.canSend() && !Permissions.allows(h.permissions(), h.ownerUid(), h.ownerGid(), Permissions.WRITE)) {
                throw denied(h, "send", "w");
            }
            if (memory.control().isDestroyedOpaque()) {
                throw new ChannelException(Errno.ENOENT, "channel " + id + " was destroyed");
            }
            if (!h.isPersistent() && !ProcessIdentity.isAlive(h.creatorPid(), h.creatorStartTime())) {
                memory.close();
                reap();
                throw new ChannelException(Errno.ENOENT, "channel " + id + " died with the process that created it "
                        + "(pid " + h.creatorPid() + ")");
            }
            return Subscriber.join(memory, access);
        } catch (RuntimeException | Error e) {
            memory.close();
            throw e;
        }
    }

    /** Attaches by key if {@code key} is non-zero, else by {@code id}: the RFC's attach call. */
    public Subscriber attach(int id, long key, Access access) {
        return key != 0 ? attach(key, access) : attachById(id, access);
    }

    private static ChannelException denied(ChannelHeader h, String what, String bit) {
        return new ChannelException(Errno.EACCES, "channel " + h.id() + " (permissions " + Permissions.describe(h.permissions())
                + ", owner uid " + h.ownerUid() + " gid " + h.ownerGid() + ") does not let uid " + ProcessIdentity.uid()
                + " " + what + ": that needs the '" + bit + "' bit for its class; ask the owner, or attach with less access");
    }

    /** The id of the channel with key {@code key}. */
    public int idOf(long key) {
        int id = readKey(ChannelFiles.key(root, key));
        if (id <= 0) {
            throw new ChannelException(Errno.ENOENT, "no channel has key " + ChannelFiles.keyText(key) + " in " + root);
        }
        return id;
    }

    /** The id a key link names, 0 if there is no link, -1 if it names nothing valid. */
    private static int readKey(Path link) {
        try {
            String target = Files.readSymbolicLink(link).toString();
            return target.matches("\\d{1,10}") && Long.parseLong(target) <= Integer.MAX_VALUE
                    ? Integer.parseInt(target) : -1;
        } catch (NoSuchFileException | java.nio.file.NotLinkException e) {
            return 0;
        } catch (IOException e) {
            return -1;
        }
    }

    // --- destroy --------------------------------------------------------------------------------

    /**
     * Destroys channel {@code id}: no new attach, no new message; attached receivers may still
     * drain what was sent. Only its owner (or root) may.
     *
     * @throws ChannelException ENOENT if there is no such channel (a second destroy), EPERM if
     *                          this process does not own it
     */
    public void destroy(int id) {
        destroy(id, 0);
    }

    public void destroyByKey(long key) {
        destroy(idOf(key));
    }

    /** Destroys channel {@code id} if its incarnation is {@code incarnation} (0: any). */
    void destroy(int id, long incarnation) {
        try (RegistryLock lock = RegistryLock.acquire(root)) {
            ChannelMemory memory = ChannelFiles.map(root, id, false, true);
            try {
                if (incarnation != 0 && memory.header().incarnation() != incarnation) {
                    throw new ChannelException(Errno.ENOENT, "channel " + id + " was already destroyed");
                }
                int uid = ProcessIdentity.uid();
                if (uid != 0 && uid != memory.header().ownerUid()) {
                    throw new ChannelException(Errno.EPERM, "channel " + id + " belongs to uid " + memory.header().ownerUid()
                            + "; only its owner (or root) may destroy it");
                }
                destroyLocked(memory);
            } finally {
                memory.close();
            }
        }
    }

    /** Marks the channel destroyed, wakes everyone so they notice, and unlinks its names. */
    private void destroyLocked(ChannelMemory memory) {
        memory.control().markDestroyedRelease();
        new Doorbells(memory).wakeEveryone();
        long key = memory.header().key();
        if (key != 0 && readKey(ChannelFiles.key(root, key)) == memory.id()) {
            deleteQuietly(ChannelFiles.key(root, key));
        }
        try {
            Files.deleteIfExists(ChannelFiles.ring(root, memory.id()));
            Files.deleteIfExists(ChannelFiles.control(root, memory.id()));
        } catch (IOException e) {
            throw ioFailure("remove channel " + memory.id() + "'s files", e);
        }
    }

    // --- reaping --------------------------------------------------------------------------------

    /**
     * Destroys every channel whose creator has died (unless persistent), and removes debris of
     * creators that crashed half-way. Runs by itself on create, attach to a dead channel and
     * list; returns how many channels it destroyed. Needs permission to remove the files: the
     * same user, or root.
     */
    public int reap() {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (RegistryLock lock = RegistryLock.acquire(root)) {
            return reapLocked();
        }
    }

    private int reapLocked() {
        int destroyed = 0;
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root)) {
            dir.forEach(entries::add);
        } catch (IOException e) {
            throw ioFailure("list " + root, e);
        }
        for (Path path : entries) {
            String name = path.getFileName().toString();
            if (name.startsWith(ChannelFiles.TEMP_PREFIX)) {
                reapTemporary(path, name);
                continue;
            }
            int id = ChannelFiles.idOfRingFile(name);
            if (id > 0 && reapChannel(id)) {
                destroyed++;
            }
        }
        for (Path path : entries) {
            String name = path.getFileName().toString();
            if (name.startsWith(ChannelFiles.KEY_PREFIX)) {
                int id = readKey(path);
                if (id != 0 && (id < 0 || !Files.exists(ChannelFiles.ring(root, id)))) {
                    deleteQuietly(path);            // a key whose channel is gone
                }
            }
        }
        return destroyed;
    }

    private boolean reapChannel(int id) {
        try (ChannelMemory memory = ChannelFiles.map(root, id, false, true)) {
            ChannelHeader header = memory.header();
            if (header.isPersistent() || ProcessIdentity.isAlive(header.creatorPid(), header.creatorStartTime())) {
                return false;
            }
            destroyLocked(memory);
            return true;
        } catch (ChannelException e) {
            return false;                           // not ours to remove, not a channel, or already gone
        }
    }

    private static void reapTemporary(Path path, String name) {
        // .tmp-<id>-<pid>.ring: its creator is done or dead once that pid is gone
        String[] parts = name.substring(ChannelFiles.TEMP_PREFIX.length()).split("[-.]");
        try {
            boolean dead = parts.length >= 2 && parts[1].matches("\\d+")
                    && ProcessIdentity.startTime(Integer.parseInt(parts[1])) < 0;
            boolean old = System.currentTimeMillis() - Files.getLastModifiedTime(path).toMillis() > STALE_TEMP_MILLIS;
            if (dead || old) {
                deleteQuietly(path);
            }
        } catch (IOException | NumberFormatException e) {
            // gone already, or not ours
        }
    }

    // --- observing ------------------------------------------------------------------------------

    /** Every channel in the registry, by id, after reaping dead ones. */
    public List<ChannelSnapshot> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try {
            reap();
        } catch (ChannelException e) {
            // an observer lists what is there even if it cannot reap
        }
        List<Integer> ids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root, "*" + ChannelFiles.RING_SUFFIX)) {
            for (Path path : dir) {
                int id = ChannelFiles.idOfRingFile(path.getFileName().toString());
                if (id > 0) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            throw ioFailure("list " + root, e);
        }
        ids.sort(null);
        List<ChannelSnapshot> result = new ArrayList<>();
        for (int id : ids) {
            try {
                result.add(snapshot(id));
            } catch (ChannelException e) {
                if (e.errno() != Errno.ENOENT) {
                    result.add(unreadable(id, e.getMessage()));
                }
            }
        }
        return result;
    }

    /**
     * A snapshot of channel {@code id}, read without attaching (the files mapped read-only).
     *
     * @throws ChannelException ENOENT if it does not exist, EACCES if this process may not read it
     */
    public ChannelSnapshot snapshot(int id) {
        try (ChannelMemory memory = ChannelFiles.map(root, id, false, false)) {
            return Snapshots.of(memory);
        }
    }

    /** A snapshot of the channel with key {@code key}. */
    public ChannelSnapshot snapshotByKey(long key) {
        return snapshot(idOf(key));
    }

    private ChannelSnapshot unreadable(int id, String reason) {
        int owner = -1;
        int mode = 0;
        try {
            owner = (Integer) Files.getAttribute(ChannelFiles.ring(root, id), "unix:uid");
            mode = (Integer) Files.getAttribute(ChannelFiles.ring(root, id), "unix:mode") & 0666;
        } catch (IOException | RuntimeException e) {
            // what we have is all we can say
        }
        return new ChannelSnapshot(id, 0, null, 0, 0, 0, mode, owner, -1, -1, false, false, false, false, 0, 0, 0, 0,
                List.of(), null, reason);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // not ours to remove, or already gone
        }
    }

    private ChannelException ioFailure(String what, IOException e) {
        if (e instanceof AccessDeniedException) {
            return new ChannelException(Errno.EACCES, "cannot " + what + ": permission denied (" + e.getMessage()
                    + "); the registry " + root + " should be mode 1777");
        }
        if (e instanceof FileAlreadyExistsException) {
            return new ChannelException(Errno.EEXIST, "cannot " + what + ": " + e.getMessage() + " exists");
        }
        return new ChannelException(Errno.EIO, "cannot " + what + ": " + e, e);
    }

    @Override
    public String toString() {
        return "Registry[" + root + "]";
    }
}
