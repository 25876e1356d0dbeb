package dev.uipc.channel;

import dev.uipc.channel.delivery.DeliveryMode;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ChannelHeader;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.channel.memory.SubscriberTable;
import dev.uipc.uring.ProcessIdentity;

import java.util.ArrayList;
import java.util.List;

/** Builds {@link ChannelSnapshot}s from a mapped channel, for observers. */
final class Snapshots {
    private Snapshots() {
    }

    static ChannelSnapshot of(ChannelMemory memory) {
        DeliveryMode mode = DeliveryMode.of(memory);
        SubscriberTable rows = memory.subscribers();
        long tail = memory.ringHeader().tailAcquire();
        List<ChannelSnapshot.SubscriberSnapshot> subscribers = new ArrayList<>();
        for (int index = 0; index < rows.rows(); index++) {
            int state = rows.stateAcquire(index);
            if (state != SubscriberDescriptor.ACTIVE && state != SubscriberDescriptor.LEAVING) {
                continue;
            }
            Access access = Access.ofBits(rows.access(index));
            boolean receives = access != null && access.canReceive();
            int pid = rows.pid(index);
            subscribers.add(new ChannelSnapshot.SubscriberSnapshot(rows.id(index), pid, rows.uid(index), access,
                    receives ? rows.cursorAcquire(index) : -1, receives ? mode.lag(index, tail) : 0,
                    rows.isParkedOpaque(index), rows.sent(index), rows.received(index),
                    ProcessIdentity.isAlive(pid, rows.startTime(index)), rows.attachedMillis(index)));
        }
        ControlHeader control = memory.control();
        ChannelSnapshot.Counters counters = new ChannelSnapshot.Counters(
                control.counterOpaque(ControlHeader.Counter.FULL), control.counterOpaque(ControlHeader.Counter.WAKES),
                control.counterOpaque(ControlHeader.Counter.REDELIVERED),
                control.counterOpaque(ControlHeader.Counter.DROPPED),
                control.counterOpaque(ControlHeader.Counter.SKIPPED), control.counterOpaque(ControlHeader.Counter.REAPED),
                control.counterOpaque(ControlHeader.Counter.LAPPED));
        ChannelHeader h = memory.header();
        return new ChannelSnapshot(h.id(), h.key(), mode.mode(), h.geometry().entries(), h.geometry().maxMessageSize(),
                h.geometry().maxSubscribers(), h.permissions(), h.ownerUid(), h.ownerGid(), h.creatorPid(),
                ProcessIdentity.isAlive(h.creatorPid(), h.creatorStartTime()), h.isPersistent(), h.isPrivate(),
                control.isDestroyedOpaque(), h.createdMillis(), tail, mode.head(tail), mode.queued(tail),
                List.copyOf(subscribers), counters, null);
    }
}
