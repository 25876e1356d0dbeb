package dev.uipc.channel;

import dev.uipc.channel.delivery.DeliveryMode;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.memory.DeliveryWords;
import dev.uipc.channel.memory.MessageSlots;
import dev.uipc.channel.memory.SubscriberTable;

/**
 * A channel's shared state as text, for a test that found it stuck: the tail, every row that is
 * not free, and each position from the lowest cursor to the tail with its sequence, delivery
 * word and claimer — what it takes to tell a missed wake from a slot nobody finished.
 */
final class ChannelDump {
    private ChannelDump() {
    }

    static String of(Subscriber any) {
        DeliveryMode mode = any.delivery();
        ChannelMemory memory = mode.memory();
        SubscriberTable rows = memory.subscribers();
        MessageSlots slots = memory.slots();
        DeliveryWords words = memory.deliveryWords();
        long tail = memory.ringHeader().tailAcquire();
        StringBuilder out = new StringBuilder();
        out.append(mode.mode()).append(" tail ").append(tail).append(" head ").append(mode.head(tail))
                .append(" receiversWaiting ").append(memory.control().waitingOpaque(
                        dev.uipc.channel.memory.ControlHeader.Waiters.RECEIVERS))
                .append(" sendersWaiting ").append(memory.control().waitingOpaque(
                        dev.uipc.channel.memory.ControlHeader.Waiters.SENDERS))
                .append(" wakes ").append(memory.control().counterOpaque(dev.uipc.channel.memory.ControlHeader.Counter.WAKES))
                .append(" skipped ").append(memory.control().counterOpaque(
                        dev.uipc.channel.memory.ControlHeader.Counter.SKIPPED)).append('\n');
        long low = tail;
        for (int i = 0; i < rows.rows(); i++) {
            int state = rows.stateAcquire(i);
            if (state == SubscriberDescriptor.FREE) {
                continue;
            }
            long cursor = rows.cursorAcquire(i);
            if ((rows.access(i) & SubscriberDescriptor.RECV) != 0 && cursor >= 0) {
                low = Math.min(low, cursor);
            }
            out.append(String.format("  row %d: state %d id %d access %d pid %d cursor %d claim %d waiting %d (0 running, 1 parked, 2 chosen to wake) doorbell %d%n",
                    i, state, rows.id(i), rows.access(i), rows.pid(i), cursor, rows.claimAcquire(i),
                    rows.waitingOpaque(i), rows.doorbellAcquire(i)));
        }
        for (long p = Math.max(0, Math.min(low, tail - memory.geometry().entries())); p < tail; p++) {
            long word = words.wordAcquire(p);
            out.append(String.format("  position %d: sequence 0x%x (committed %b) word 0x%x (lap %d state %d) sender %d%n",
                    p, slots.sequenceAcquire(p), slots.isCommittedAcquire(p), word,
                    dev.uipc.channel.layout.DeliveryWord.lap(word), dev.uipc.channel.layout.DeliveryWord.state(word),
                    slots.senderId(p)));
        }
        return out.toString();
    }
}
