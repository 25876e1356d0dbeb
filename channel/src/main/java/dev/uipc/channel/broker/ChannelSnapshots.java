package dev.uipc.channel.broker;

import dev.uipc.channel.Access;
import dev.uipc.channel.ChannelSnapshot;
import dev.uipc.channel.delivery.DeliveryMode;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ChannelHeader;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.channel.memory.SubscriberTable;

import java.util.ArrayList;
import java.util.List;

/** Builds a {@link ChannelSnapshot} of a channel the broker holds, for observers. */
final class ChannelSnapshots {
    private ChannelSnapshots() {
    }

    /** A snapshot, and the row of each of its subscribers (for paging). */
    record Taken(ChannelSnapshot snapshot, int[] rows) {
    }

    /** An errno a waker left in a row, by name; null for none. Any number may be there: peers write it. */
    static String refusal(int errno) {
        if (errno == 0) {
            return null;
        }
        dev.uipc.uring.Errno e = dev.uipc.uring.Errno.of(errno);
        return e != null ? e.name() : "errno " + errno;
    }

    static Taken of(BrokerChannel channel) {
        DeliveryMode mode = channel.mode;
        SubscriberTable rows = channel.memory.subscribers();
        long tail = channel.memory.ringHeader().tailAcquire();
        List<ChannelSnapshot.SubscriberSnapshot> subscribers = new ArrayList<>();
        int[] rowOf = new int[rows.rows()];
        for (int index = 0; index < rows.rows(); index++) {
            int state = rows.stateAcquire(index);
            if (state != SubscriberDescriptor.ACTIVE && state != SubscriberDescriptor.LEAVING) {
                continue;
            }
            Access access = Access.ofBits(rows.access(index));
            boolean receives = access != null && access.canReceive();
            rowOf[subscribers.size()] = index;
            subscribers.add(new ChannelSnapshot.SubscriberSnapshot(rows.id(index), rows.pid(index), rows.uid(index),
                    access, receives ? rows.cursorAcquire(index) : -1, receives ? mode.lag(index, tail) : 0,
                    rows.isParkedOpaque(index), rows.sent(index), rows.received(index),
                    state == SubscriberDescriptor.ACTIVE, rows.attachedMillis(index),
                    rows.ringPublicationAcquire(index) != 0 && channel.rings.containsKey(rows.id(index)),
                    refusal(rows.ringRefusal(index)), rows.ringWakes(index)));
        }
        ControlHeader control = channel.memory.control();
        ChannelSnapshot.Counters counters = new ChannelSnapshot.Counters(
                control.counterOpaque(ControlHeader.Counter.FULL), control.counterOpaque(ControlHeader.Counter.WAKES),
                control.counterOpaque(ControlHeader.Counter.REDELIVERED),
                control.counterOpaque(ControlHeader.Counter.DROPPED),
                control.counterOpaque(ControlHeader.Counter.SKIPPED), control.counterOpaque(ControlHeader.Counter.REAPED),
                control.counterOpaque(ControlHeader.Counter.LAPPED));
        ChannelHeader h = channel.header;
        ChannelSnapshot snapshot = new ChannelSnapshot(h.id(), h.key(), mode.mode(), h.geometry().entries(),
                h.geometry().maxMessageSize(), h.geometry().maxSubscribers(), h.permissions(), h.ownerUid(),
                h.ownerGid(), h.creatorPid(), channel.creator.open, h.isPersistent(), h.isPrivate(),
                channel.destroyed || control.isDestroyedOpaque(), h.createdMillis(), tail, mode.head(tail),
                mode.queued(tail), List.copyOf(subscribers), counters);
        return new Taken(snapshot, java.util.Arrays.copyOf(rowOf, subscribers.size()));
    }
}
