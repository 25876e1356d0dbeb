package dev.uipc.channel.delivery;

import dev.uipc.channel.Mode;
import dev.uipc.channel.layout.RingFileDescriptor;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.channel.memory.DeliveryWords;
import dev.uipc.channel.memory.MessageSlots;
import dev.uipc.channel.memory.RingHeader;
import dev.uipc.channel.memory.SubscriberTable;
import dev.uipc.channel.waiting.Doorbells;
import dev.uipc.channel.waiting.RingDirectory;

/**
 * Everything that differs between the delivery modes, in one type per mode: how far producers
 * may run ahead of the receivers, whom a message is for, whom a commit wakes, where a joining
 * receiver starts, how a receiver takes messages, what a departed receiver leaves behind, and
 * what an observer sees. The producer, the receive path, the waiting loop and recovery are
 * shared, and ask the mode; adding a fourth mode means adding one subclass.
 *
 * <ul>
 *   <li>{@link Unicast} and {@link Multicast} ({@link CompetingDelivery}): each message to one
 *       receiver, which takes it by compare-and-set on its delivery word; multicast assigns each
 *       message round-robin;</li>
 *   <li>{@link Broadcast}: every receiver reads every message at its own cursor.</li>
 * </ul>
 */
public abstract sealed class DeliveryMode permits CompetingDelivery, Broadcast {
    final ChannelMemory memory;
    final RingHeader ring;
    final ControlHeader control;
    final MessageSlots slots;
    final SubscriberTable rows;
    final DeliveryWords words;
    final Doorbells doorbells;
    final int entries;

    DeliveryMode(ChannelMemory memory, RingDirectory rings) {
        this.memory = memory;
        this.ring = memory.ringHeader();
        this.control = memory.control();
        this.slots = memory.slots();
        this.rows = memory.subscribers();
        this.words = memory.deliveryWords();
        this.doorbells = new Doorbells(memory, rings);
        this.entries = memory.geometry().entries();
    }

    /** The mode the channel's flags name, waking by futex only. */
    public static DeliveryMode of(ChannelMemory memory) {
        return of(memory, null);
    }

    /**
     * The mode the channel's flags name, waking subscribers whose completion loops published a
     * ring by MSG_RING where {@code rings} (the broker) says where they are.
     */
    public static DeliveryMode of(ChannelMemory memory, RingDirectory rings) {
        int flags = memory.header().flags();
        if ((flags & RingFileDescriptor.BROADCAST) != 0) {
            return new Broadcast(memory, rings);
        }
        return (flags & RingFileDescriptor.MULTICAST) != 0 ? new Multicast(memory, rings) : new Unicast(memory, rings);
    }

    public abstract Mode mode();

    public ChannelMemory memory() {
        return memory;
    }

    public Doorbells doorbells() {
        return doorbells;
    }

    // --- sending -------------------------------------------------------------------------------

    /**
     * Checks a target a sender names (non-zero) before anything is claimed.
     *
     * @throws dev.uipc.channel.ChannelException if the mode cannot deliver to it
     */
    public abstract void checkTarget(int target);

    /**
     * The lowest position some receiver may still need: producers may claim positions below it
     * plus the ring's size. May settle finished work on the way (the consumer head).
     */
    abstract long lowestNeeded();

    /** The subscriber the message at {@code position} is assigned to when its sender named none; 0 for any. */
    int assign(long position) {
        return 0;
    }

    /** After a commit, with receivers parked: wakes those the message at hand concerns. */
    abstract void wakeReceivers(int target, int rotation);

    // --- receiving -----------------------------------------------------------------------------

    /**
     * Makes row {@code index}, reserved and filled in, an ACTIVE member, starting where a new
     * member of this mode starts.
     */
    public abstract void join(int index);

    /** The receiving half for subscriber {@code id}. */
    public abstract Receiver newReceiver(int index, int id);

    // --- departure -----------------------------------------------------------------------------

    /**
     * Row {@code index} (id {@code id}), now LEAVING, was a receiver: hands back what it held or
     * what was meant for it, and wakes whoever that concerns.
     */
    abstract void releaseDeparted(int index, int id);

    // --- observing -----------------------------------------------------------------------------

    /** For observers: the lowest position still needed, as {@link #lowestNeeded} but changing nothing. */
    public abstract long head(long tail);

    /** For observers: messages sent and not yet received (broadcast: by the slowest receiver). */
    public abstract long queued(long tail);

    /** For observers: how far receiver {@code index} is behind the tail (broadcast only; else 0). */
    public abstract long lag(int index, long tail);
}
