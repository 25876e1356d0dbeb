package dev.uipc.channel;

import dev.uipc.channel.memory.ChannelFormat;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.uring.Errno;
import dev.uipc.uring.ProcessIdentity;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A channel's files in a registry root, {@code docs/LAYOUT.md} section 1: their names, and
 * mapping them as a validated {@link ChannelMemory}.
 */
final class ChannelFiles {
    private ChannelFiles() {
    }

    static final String LOCK = ".lock";
    static final String NEXT_ID = "next-id";
    static final String RING_SUFFIX = ".ring";
    static final String CONTROL_SUFFIX = ".ctl";
    static final String KEY_PREFIX = "key-";
    static final String TEMP_PREFIX = ".tmp-";

    static Path ring(Path root, int id) {
        return root.resolve(Integer.toUnsignedString(id) + RING_SUFFIX);
    }

    static Path control(Path root, int id) {
        return root.resolve(Integer.toUnsignedString(id) + CONTROL_SUFFIX);
    }

    static Path key(Path root, long key) {
        return root.resolve(KEY_PREFIX + String.format("%016x", key));
    }

    static Path tempRing(Path root, int id, long pid) {
        return root.resolve(TEMP_PREFIX + Integer.toUnsignedString(id) + "-" + pid + RING_SUFFIX);
    }

    static Path tempControl(Path root, int id, long pid) {
        return root.resolve(TEMP_PREFIX + Integer.toUnsignedString(id) + "-" + pid + CONTROL_SUFFIX);
    }

    /** The channel id a ring file's name holds, or -1 if it is not a ring file's name. */
    static int idOfRingFile(String name) {
        if (!name.endsWith(RING_SUFFIX) || name.startsWith(".")) {
            return -1;
        }
        String digits = name.substring(0, name.length() - RING_SUFFIX.length());
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long id = Long.parseLong(digits);
        return id > 0 && id <= Integer.MAX_VALUE ? (int) id : -1;
    }

    /** "0x000000000000abcd" as the CLI and messages print keys. */
    static String keyText(long key) {
        return "0x" + Long.toHexString(key);
    }

    /**
     * Maps channel {@code id}: the ring read-write if {@code ringWritable} (to send), read-only
     * otherwise; the control file read-write if {@code ctlWritable} (every subscriber), read-only
     * for an observer such as {@code uipc stat}. Everything the headers say is checked against
     * the specification and the files' real sizes before anything else reads them.
     *
     * @throws ChannelException ENOENT if it does not exist, EACCES if the file modes forbid the
     *                          access, EBADMSG if a file is not a valid channel file, EPROTO if it
     *                          was made by an incompatible uipc
     */
    static ChannelMemory map(Path root, int id, boolean ringWritable, boolean ctlWritable) {
        Arena arena = Arena.ofShared();
        try {
            Path ringPath = ring(root, id);
            MemorySegment ring = map(ringPath, ringWritable, arena, id);
            MemorySegment ctl = map(control(root, id), ctlWritable, arena, id);
            ChannelMemory memory = ChannelFormat.validate(id, ring, ctl, arena);
            int ownerUid = memory.header().ownerUid();
            int fileOwner = (Integer) Files.getAttribute(ringPath, "unix:uid");
            if (fileOwner != ownerUid) {
                throw ChannelMemory.corrupt(id, "its header names owner uid " + ownerUid + " but the file belongs to uid "
                        + fileOwner);
            }
            return memory;
        } catch (IOException e) {
            arena.close();
            throw new ChannelException(Errno.EIO, "cannot read channel " + id + " in " + root + ": " + e, e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static MemorySegment map(Path path, boolean writable, Arena arena, int id) throws IOException {
        try (FileChannel file = writable
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ)) {
            return file.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, 0, file.size(),
                    arena);
        } catch (NoSuchFileException e) {
            throw new ChannelException(Errno.ENOENT, "no channel " + id + " in " + path.getParent()
                    + " (it was never created, or was destroyed)");
        } catch (AccessDeniedException e) {
            throw new ChannelException(Errno.EACCES, "the permissions of channel " + id + " do not let uid "
                    + ProcessIdentity.uid() + " " + (writable ? "write" : "read") + " " + path.getFileName() + " ("
                    + describeMode(path) + "); ask its owner for access, or attach with less (RECV needs read, SEND "
                    + "needs write)");
        }
    }

    private static String describeMode(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return "mode " + String.format("%04o", mode & 07777) + ", owner uid " + Files.getAttribute(path, "unix:uid")
                    + " gid " + Files.getAttribute(path, "unix:gid");
        } catch (IOException | RuntimeException e) {
            return "mode unknown";
        }
    }
}
