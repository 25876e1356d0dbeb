package dev.uipc.channel;

import dev.uipc.uring.ProcessIdentity;

/**
 * The RFC's permission model, and the file modes that make the kernel enforce it
 * ({@code docs/LAYOUT.md}, "Permissions"): receive needs the read bit, send the write bit, for
 * the owner, the owner's group or others, as a file's mode grants them. Root passes, as the
 * kernel lets it open any file.
 */
final class Permissions {
    private Permissions() {
    }

    static final int READ = 4;
    static final int WRITE = 2;

    /** Whether the calling process may do {@code bit} (READ or WRITE) on a channel. */
    static boolean allows(int permissions, int ownerUid, int ownerGid, int bit) {
        int uid = ProcessIdentity.uid();
        if (uid == 0) {
            return true;
        }
        if (uid == ownerUid) {
            return ((permissions >> 6) & bit) != 0;
        }
        if (inGroup(ownerGid)) {
            return ((permissions >> 3) & bit) != 0;
        }
        return (permissions & bit) != 0;
    }

    private static boolean inGroup(int gid) {
        if (ProcessIdentity.gid() == gid) {
            return true;
        }
        for (int g : ProcessIdentity.groups()) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }

    /** The ring file's mode: read for receivers; read and write for senders (mapping writable needs both). */
    static int ringFileMode(int permissions) {
        int mode = 0;
        for (int shift = 0; shift <= 6; shift += 3) {
            int bits = (permissions >> shift) & 6;
            int fileBits = (bits & WRITE) != 0 ? 6 : (bits & READ) != 0 ? 4 : 0;
            mode |= fileBits << shift;
        }
        return mode;
    }

    /** The control file's mode: read-write for every class with any access, and always for the owner. */
    static int controlFileMode(int permissions) {
        int mode = 6 << 6;
        for (int shift = 0; shift <= 3; shift += 3) {
            if (((permissions >> shift) & 6) != 0) {
                mode |= 6 << shift;
            }
        }
        return mode;
    }

    /** "rw-r-----" for 0640. */
    static String describe(int permissions) {
        StringBuilder s = new StringBuilder(9);
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (permissions >> shift) & 7;
            s.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return s.toString();
    }
}
