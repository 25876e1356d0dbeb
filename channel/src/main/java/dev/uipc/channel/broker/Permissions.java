package dev.uipc.channel.broker;

/**
 * The RFC's permission model, checked by the broker against the credentials the kernel gave
 * it for the asking process ({@code SO_PEERCRED}, {@code SO_PEERGROUPS}): receive needs the read
 * bit and send the write bit, for the owner, the owner's group or others, as a file's mode grants
 * them; root may do anything; only the owner (or root) may destroy.
 */
final class Permissions {
    private Permissions() {
    }

    static final int READ = 4;
    static final int WRITE = 2;

    /** Whether {@code who} may do {@code bit} (READ or WRITE) on a channel. */
    static boolean allows(Credentials who, int permissions, int ownerUid, int ownerGid, int bit) {
        if (who.uid() == 0) {
            return true;
        }
        if (who.uid() == ownerUid) {
            return ((permissions >> 6) & bit) != 0;
        }
        if (who.inGroup(ownerGid)) {
            return ((permissions >> 3) & bit) != 0;
        }
        return (permissions & bit) != 0;
    }

    /** Whether {@code who} may destroy a channel owned by {@code ownerUid}. */
    static boolean mayDestroy(Credentials who, int ownerUid) {
        return who.uid() == 0 || who.uid() == ownerUid;
    }
}
