package dev.uipc.channel;

import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.DeliveryWord;
import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.uring.ProcessIdentity;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Removes subscribers whose process has died, at once rather than after a timeout: a process
 * is dead when no process with its pid and start time exists (so pid reuse cannot fool it).
 *
 * <p>Before freeing a dead subscriber's row it recovers what the subscriber held: messages it
 * had taken but not finished copying are offered to every receiver again (they were never
 * delivered: it died inside a receive), and a position it had claimed but not committed is
 * marked SKIPPED so that receivers pass over it. Every step is a compare-and-set, so two
 * reapers working on the same row, or a reaper that dies half-way, do no harm.
 *
 * <p>Reading {@code /proc} costs microseconds, so producers and receivers call
 * {@link #reapIfDue()}, which runs at most once a millisecond per subscriber, and only when
 * they are held up.
 */
final class Reaper {
    static final long INTERVAL_NANOS = 1_000_000;

    private final MappedChannel ch;
    private final int ownPid = ProcessIdentity.pid();
    private final long ownStartTime = ProcessIdentity.startTime();
    private long lastRun = System.nanoTime() - INTERVAL_NANOS;

    Reaper(MappedChannel ch) {
        this.ch = ch;
    }

    /** Reaps if the last run was over a millisecond ago; returns whether anyone was reaped. */
    boolean reapIfDue() {
        long now = System.nanoTime();
        if (now - lastRun < INTERVAL_NANOS) {
            return false;
        }
        lastRun = now;
        return reapDeadSubscribers() > 0;
    }

    /** Checks every subscriber's process and reaps the dead; returns how many were reaped. */
    int reapDeadSubscribers() {
        int reaped = 0;
        MemorySegment ctl = ch.ctl;
        for (int index = 0; index < ch.maxSubscribers; index++) {
            long row = MappedChannel.row(index);
            int state = (int) Words.INT.getAcquire(ctl, row + SubscriberDescriptor.STATE);
            if (state == SubscriberDescriptor.FREE) {
                continue;
            }
            int pid = ctl.get(JAVA_INT, row + SubscriberDescriptor.PID);
            long startTime = ctl.get(JAVA_LONG, row + SubscriberDescriptor.START_TIME);
            if (pid == ownPid && startTime == ownStartTime) {
                continue;                       // ourselves: alive by definition
            }
            if (pid <= 0 && state == SubscriberDescriptor.JOINING) {
                continue;                       // claimed a moment ago, identity not written yet
            }
            if (ProcessIdentity.isAlive(pid, startTime)) {
                continue;
            }
            // A LEAVING row of a dead process is one whose reaper (or itself, detaching) died
            // half-way: recovery is idempotent, so take it over.
            if (state != SubscriberDescriptor.LEAVING
                    && !Words.INT.compareAndSet(ctl, row + SubscriberDescriptor.STATE, state, SubscriberDescriptor.LEAVING)) {
                continue;                       // someone else is reaping it
            }
            recover(index);
            free(ch, index);
            ch.count(ControlFileDescriptor.REAPED_COUNT_OFFSET);
            reaped++;
        }
        if (reaped > 0) {
            // Room may have appeared (a slow receiver is gone) and messages may be takeable again.
            Doorbells.wakeEveryone(ch);
        }
        return reaped;
    }

    /** Recovers what row {@code index}'s departed subscriber held. */
    void recover(int index) {
        long row = MappedChannel.row(index);
        int id = ch.ctl.get(JAVA_INT, row + SubscriberDescriptor.ID);
        if (ch.mode != Mode.BROADCAST && redeliverTakenBy(index) > 0) {
            Consumer.offeredAgain(ch);
        }
        long claim = (long) Words.LONG.getAcquire(ch.ctl, row + SubscriberDescriptor.CLAIM);
        if (claim >= 0) {
            skipIfAbandoned(claim, id);
        }
    }

    /** Unicast and multicast: sets every slot TAKEN by row {@code index} back to OPEN_ANY. */
    private int redeliverTakenBy(int index) {
        MemorySegment ctl = ch.ctl;
        long head = (long) Words.LONG.getAcquire(ctl, ControlFileDescriptor.CONSUMER_HEAD_OFFSET);
        long end = Math.min(ch.tail(), head + ch.entries);
        int count = 0;
        for (long q = head; q < end; q++) {
            long offset = ch.deliveryWord(q);
            long word = (long) Words.LONG.getAcquire(ctl, offset);
            int lap = ch.lap(q);
            if (DeliveryWord.lap(word) == lap && DeliveryWord.state(word) == DeliveryWord.TAKEN
                    && DeliveryWord.taker(word) == index
                    && Words.LONG.compareAndSet(ctl, offset, word, DeliveryWord.encode(lap, DeliveryWord.OPEN_ANY, 0))) {
                ch.count(ControlFileDescriptor.REDELIVERED_COUNT_OFFSET);
                count++;
            }
        }
        return count;
    }

    /**
     * The dead producer {@code deadId} had announced a claim of {@code p}. If it won that
     * position and never committed it, marks it SKIPPED; if the position belongs to a live
     * producer, or was committed, leaves it alone.
     */
    private void skipIfAbandoned(long p, int deadId) {
        if (p >= ch.tail()) {
            return;                             // its compare-and-set never happened
        }
        long d = ch.descriptor(p);
        long seq = (long) Words.LONG.getAcquire(ch.ring, d + MessageDescriptor.SEQUENCE);
        if (seq == MessageDescriptor.committed(p)) {
            return;
        }
        if (seq == MessageDescriptor.claimed(p)) {
            if (ch.ring.get(JAVA_INT, d + MessageDescriptor.SENDER_ID) != deadId) {
                return;                         // another producer's, being written
            }
        } else {
            // No marker yet: either the dead producer died right after winning p, or a live one
            // won p and has not written its marker. A live winner still announces p as its claim.
            if (aliveProducerClaims(p, deadId)) {
                return;
            }
            // A live winner that committed and moved on would show here as committed.
            long again = (long) Words.LONG.getAcquire(ch.ring, d + MessageDescriptor.SEQUENCE);
            if (again == MessageDescriptor.committed(p)
                    || (again == MessageDescriptor.claimed(p)
                        && ch.ring.get(JAVA_INT, d + MessageDescriptor.SENDER_ID) != deadId)) {
                return;
            }
        }
        markSkipped(p);
    }

    private boolean aliveProducerClaims(long p, int deadId) {
        for (int index = 0; index < ch.maxSubscribers; index++) {
            long row = MappedChannel.row(index);
            int state = (int) Words.INT.getAcquire(ch.ctl, row + SubscriberDescriptor.STATE);
            if (state != SubscriberDescriptor.FREE && ch.ctl.get(JAVA_INT, row + SubscriberDescriptor.ID) != deadId
                    && (long) Words.LONG.getAcquire(ch.ctl, row + SubscriberDescriptor.CLAIM) == p) {
                return true;
            }
        }
        return false;
    }

    private void markSkipped(long p) {
        long offset = ch.deliveryWord(p);
        int lap = ch.lap(p);
        for (;;) {
            long word = (long) Words.LONG.getAcquire(ch.ctl, offset);
            if (DeliveryWord.finished(word, lap)) {
                return;
            }
            if (Words.LONG.compareAndSet(ch.ctl, offset, word, DeliveryWord.encode(lap, DeliveryWord.SKIPPED, 0))) {
                ch.count(ControlFileDescriptor.SKIPPED_COUNT_OFFSET);
                Doorbells.wakeEveryone(ch);
                return;
            }
        }
    }

    /**
     * Frees row {@code index}: a cursor that holds no producer back, then FREE, then a new
     * membership epoch so producers' cached receiver lists are rebuilt.
     */
    static void free(MappedChannel ch, int index) {
        long row = MappedChannel.row(index);
        Words.LONG.setRelease(ch.ctl, row + SubscriberDescriptor.CURSOR, Long.MAX_VALUE);
        Words.LONG.setRelease(ch.ctl, row + SubscriberDescriptor.CLAIM, -1L);
        Words.INT.setRelease(ch.ctl, row + SubscriberDescriptor.WAITING, SubscriberDescriptor.RUNNING);
        // NOTE: the row's cursor and claim are reset BEFORE it reads as FREE.
        Words.INT.setRelease(ch.ctl, row + SubscriberDescriptor.STATE, SubscriberDescriptor.FREE);
        Words.INT.getAndAdd(ch.ctl, ControlFileDescriptor.MEMBERSHIP_EPOCH_OFFSET, 1);
    }
}
