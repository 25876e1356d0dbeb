package dev.uipc.channel;

import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.uring.Futex;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Waking parked subscribers: {@code docs/LAYOUT.md} section 5. A waker first claims a parked
 * row by compare-and-setting its {@code waiting} from PARKED to WAKING, so that two wakers
 * pick two different sleepers; then it rings the row's doorbell (adds 1, so that a sleeper
 * that has read the old value but not yet slept returns at once) and makes the futex system
 * call. Nothing here runs unless the waiting counters said someone sleeps.
 */
final class Doorbells {
    private Doorbells() {
    }

    /** Wakes row {@code index} if it is parked; returns whether it was. */
    static boolean wake(MappedChannel ch, int index) {
        long row = MappedChannel.row(index);
        if (!Words.INT.compareAndSet(ch.ctl, row + SubscriberDescriptor.WAITING, SubscriberDescriptor.PARKED,
                SubscriberDescriptor.WAKING)) {
            return false;
        }
        // NOTE: the new doorbell value is visible BEFORE the wake: a sleeper that has not yet
        // entered the kernel sees it changed and does not sleep.
        Words.INT.getAndAdd(ch.ctl, row + SubscriberDescriptor.DOORBELL, 1);
        Futex.wake(ch.ctl, row + SubscriberDescriptor.DOORBELL, Integer.MAX_VALUE);
        ch.count(ControlFileDescriptor.WAKE_COUNT_OFFSET);
        return true;
    }

    /**
     * After committing a message: wakes the receivers it concerns. {@code target} is the
     * subscriber it is for (0: any); {@code rotation} spreads "wake one" over the receivers.
     */
    static void wakeReceivers(MappedChannel ch, int target, int rotation) {
        if (ch.mode == Mode.BROADCAST) {
            wakeAll(ch, SubscriberDescriptor.RECV);
            return;
        }
        if (target != 0) {
            int index = SubscriberDescriptor.index(target);
            if (index < ch.maxSubscribers && ch.ctl.get(JAVA_INT, MappedChannel.row(index) + SubscriberDescriptor.ID) == target) {
                wake(ch, index);
            }
            return;
        }
        int n = ch.maxSubscribers;
        for (int i = 0; i < n; i++) {
            int index = Math.floorMod(rotation + i, n);
            if (isParked(ch, index, SubscriberDescriptor.RECV) && wake(ch, index)) {
                return;
            }
        }
    }

    /** Wakes every parked row with {@code accessBit}: all receivers, or all senders waiting for room. */
    static void wakeAll(MappedChannel ch, int accessBit) {
        for (int index = 0; index < ch.maxSubscribers; index++) {
            if (isParked(ch, index, accessBit)) {
                wake(ch, index);
            }
        }
    }

    private static boolean isParked(MappedChannel ch, int index, int accessBit) {
        long row = MappedChannel.row(index);
        return (int) Words.INT.getOpaque(ch.ctl, row + SubscriberDescriptor.WAITING) == SubscriberDescriptor.PARKED
                && (ch.ctl.get(JAVA_INT, row + SubscriberDescriptor.ACCESS) & accessBit) != 0;
    }

    /** Wakes every parked subscriber of the channel: it was destroyed, or a peer was reaped. */
    static void wakeEveryone(MappedChannel ch) {
        wakeAll(ch, SubscriberDescriptor.RECV | SubscriberDescriptor.SEND);
    }
}
