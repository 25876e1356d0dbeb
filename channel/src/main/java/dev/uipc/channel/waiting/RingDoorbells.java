package dev.uipc.channel.waiting;

import dev.uipc.channel.ChannelException;
import dev.uipc.channel.memory.SubscriberTable;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.linux.OwnedFd;
import dev.uipc.uring.linux.PidFd;

/**
 * The waker's side of ring doorbells ({@code docs/LAYOUT.md} section 5): for each row whose
 * subscriber's completion loop published its io_uring, that ring — taken once from the loop's
 * process with pidfd_getfd, on the broker's word, and kept while the publication stands — so
 * that a wake can be a completion posted into the loop's ring (MSG_RING) instead of a futex wake.
 *
 * <p>A row that cannot be reached this way — none published, the broker says otherwise, the
 * kernel refuses the descriptor (another user; ptrace rules), the post fails — is rung by futex,
 * which the loop always listens to as well; the reason is left in the row for {@code uipc stat}.
 * Resolving a row asks the broker once per publication; after that a wake allocates nothing.
 */
final class RingDoorbells implements AutoCloseable {
    private final SubscriberTable rows;
    private final RingDirectory directory;
    // Per row: whom and which publication the entry is for, and the ring (null: unreachable).
    private final int[] resolvedId;
    private final int[] resolvedPublication;
    private final OwnedFd[] rings;
    private final long[] tokens;

    RingDoorbells(SubscriberTable rows, RingDirectory directory) {
        this.rows = rows;
        this.directory = directory;
        int n = rows.rows();
        this.resolvedId = new int[n];
        this.resolvedPublication = new int[n];
        this.rings = new OwnedFd[n];
        this.tokens = new long[n];
    }

    /**
     * The descriptor (in this process) of the ring that reaches row {@code index}, or -1 to ring
     * its futex. Call only after choosing the row to wake: its subscriber has published before
     * parking, so the publication read now is the parked loop's, or a later one.
     */
    int ringOf(int index) {
        int publication = rows.ringPublicationAcquire(index);
        if (publication == 0) {
            if (rings[index] != null) {
                forget(index);               // withdrawn: a ring kept open here would outlive its loop
                resolvedPublication[index] = 0;
            }
            return -1;
        }
        int id = rows.id(index);
        if (resolvedId[index] != id || resolvedPublication[index] != publication) {
            resolve(index, id, publication);
        }
        OwnedFd ring = rings[index];
        return ring == null ? -1 : ring.value();
    }

    long tokenOf(int index) {
        return tokens[index];
    }

    /** The post to row {@code index}'s ring came back with {@code result}: counted, or recorded as refused. */
    boolean posted(int index, int result) {
        if (result >= 0) {
            rows.countRingWake(index);
            return true;
        }
        rows.recordRingRefusal(index, -result);
        forget(index);                       // keep the verdict for this publication: futex from now on
        return false;
    }

    private void resolve(int index, int id, int publication) {
        forget(index);
        resolvedId[index] = id;
        resolvedPublication[index] = publication;
        RingDirectory.Published published;
        try {
            published = directory.find(id);
        } catch (ChannelException e) {
            rows.recordRingRefusal(index, e.errno().number());
            return;
        }
        if (published == null) {
            return;                          // withdrawn, or a publication a peer wrote into the row
        }
        try (OwnedFd process = published.process()) {
            rings[index] = PidFd.getFd(process.value(), published.ringFd());
            tokens[index] = published.token();
            resolvedPublication[index] = published.publication();
        } catch (ErrnoException e) {
            rows.recordRingRefusal(index, e.errno());
        }
    }

    private void forget(int index) {
        OwnedFd ring = rings[index];
        if (ring != null) {
            rings[index] = null;
            ring.close();
        }
    }

    /** Lets go of every ring taken: the loops' rings are theirs to close. */
    @Override
    public void close() {
        for (int i = 0; i < rings.length; i++) {
            forget(i);
        }
    }
}
