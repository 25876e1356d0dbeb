package dev.uipc.channel;

import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.DeliveryWord;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.uring.ProcessIdentity;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Builds {@link ChannelStatus} snapshots from a mapped channel, for observers. */
final class Snapshots {
    private Snapshots() {
    }

    static ChannelStatus of(MappedChannel ch) {
        MemorySegment ctl = ch.ctl;
        long tail = ch.tail();
        List<ChannelStatus.SubscriberStatus> subscribers = new ArrayList<>();
        long slowest = tail;
        for (int index = 0; index < ch.maxSubscribers; index++) {
            long row = MappedChannel.row(index);
            int state = (int) Words.INT.getAcquire(ctl, row + SubscriberDescriptor.STATE);
            if (state != SubscriberDescriptor.ACTIVE && state != SubscriberDescriptor.LEAVING) {
                continue;
            }
            Access access = Access.ofBits(ctl.get(JAVA_INT, row + SubscriberDescriptor.ACCESS));
            long cursor = (long) Words.LONG.getAcquire(ctl, row + SubscriberDescriptor.CURSOR);
            boolean receives = access != null && access.canReceive();
            long lag = 0;
            if (ch.mode == Mode.BROADCAST && receives) {
                lag = Math.max(0, tail - cursor);
                slowest = Math.min(slowest, cursor);
            }
            int pid = ctl.get(JAVA_INT, row + SubscriberDescriptor.PID);
            subscribers.add(new ChannelStatus.SubscriberStatus(ctl.get(JAVA_INT, row + SubscriberDescriptor.ID), pid,
                    ctl.get(JAVA_INT, row + SubscriberDescriptor.UID), access, receives ? cursor : -1, lag,
                    (int) Words.INT.getOpaque(ctl, row + SubscriberDescriptor.WAITING) == SubscriberDescriptor.PARKED,
                    ctl.get(JAVA_LONG, row + SubscriberDescriptor.SENT), ctl.get(JAVA_LONG, row + SubscriberDescriptor.RECEIVED),
                    ProcessIdentity.isAlive(pid, ctl.get(JAVA_LONG, row + SubscriberDescriptor.START_TIME)),
                    ctl.get(JAVA_LONG, row + SubscriberDescriptor.ATTACHED_MILLIS)));
        }
        long head;
        long queued;
        if (ch.mode == Mode.BROADCAST) {
            head = slowest;
            queued = tail - slowest;
        } else {
            head = (long) Words.LONG.getAcquire(ctl, ControlFileDescriptor.CONSUMER_HEAD_OFFSET);
            queued = 0;
            for (long q = head, end = Math.min(tail, head + ch.entries); q < end; q++) {
                if (!DeliveryWord.finished((long) Words.LONG.getAcquire(ctl, ch.deliveryWord(q)), ch.lap(q))) {
                    queued++;
                }
            }
        }
        ChannelStatus.Counters counters = new ChannelStatus.Counters(
                counter(ctl, ControlFileDescriptor.FULL_COUNT_OFFSET), counter(ctl, ControlFileDescriptor.WAKE_COUNT_OFFSET),
                counter(ctl, ControlFileDescriptor.REDELIVERED_COUNT_OFFSET),
                counter(ctl, ControlFileDescriptor.DROPPED_COUNT_OFFSET),
                counter(ctl, ControlFileDescriptor.SKIPPED_COUNT_OFFSET), counter(ctl, ControlFileDescriptor.REAPED_COUNT_OFFSET),
                counter(ctl, ControlFileDescriptor.LAPPED_COUNT_OFFSET));
        return new ChannelStatus(ch.id, ch.key, ch.mode, ch.entries, ch.maxMessageSize, ch.maxSubscribers, ch.permissions,
                ch.ownerUid, ch.ownerGid, ch.creatorPid, ProcessIdentity.isAlive(ch.creatorPid, ch.creatorStartTime),
                ch.persistent(), (ch.flags & dev.uipc.channel.layout.RingFileDescriptor.PRIVATE) != 0, ch.destroyed(),
                ch.createdMillis, tail, head, queued, List.copyOf(subscribers), counters, null);
    }

    private static long counter(MemorySegment ctl, long offset) {
        return (long) Words.LONG.getOpaque(ctl, offset);
    }
}
