package dev.uipc.channel.delivery;

import dev.uipc.channel.Mode;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.waiting.RingDirectory;

import java.util.Arrays;

/**
 * Multicast: each message is received once, the messages spread round-robin over the
 * receivers — message {@code p} is assigned to receiver {@code p mod n} of the ACTIVE receivers
 * in index order. An assigned message is offered to everyone if its receiver leaves first.
 */
public final class Multicast extends CompetingDelivery {
    /** The receivers as of a membership epoch: immutable, so threads may share it. */
    private record Receivers(int epoch, int[] ids) {
    }

    private volatile Receivers receivers = new Receivers(-1, new int[0]);

    Multicast(ChannelMemory memory, RingDirectory rings) {
        super(memory, rings);
    }

    @Override
    public Mode mode() {
        return Mode.MULTICAST;
    }

    @Override
    int assign(long position) {
        int[] ids = currentReceivers();
        return ids.length == 0 ? 0 : ids[(int) Long.remainderUnsigned(position, ids.length)];
    }

    /** The receivers, re-read only when someone joined or left. */
    private int[] currentReceivers() {
        int epoch = control.membershipEpochAcquire();
        Receivers known = receivers;
        if (known.epoch() == epoch) {
            return known.ids();
        }
        int[] found = new int[rows.rows()];
        int n = 0;
        for (int index = 0; index < rows.rows(); index++) {
            if (rows.stateAcquire(index) == SubscriberDescriptor.ACTIVE
                    && (rows.access(index) & SubscriberDescriptor.RECV) != 0) {
                found[n++] = rows.id(index);
            }
        }
        int[] ids = Arrays.copyOf(found, n);
        receivers = new Receivers(epoch, ids);
        return ids;
    }
}
