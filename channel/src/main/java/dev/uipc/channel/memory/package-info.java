/**
 * A channel's shared memory, one flyweight per record ({@code docs/LAYOUT.md}):
 * {@link dev.uipc.channel.memory.RingHeader} (the tail),
 * {@link dev.uipc.channel.memory.MessageSlots} (descriptors and payloads),
 * {@link dev.uipc.channel.memory.ControlHeader} (state, head, waiting counts, epochs, counters),
 * {@link dev.uipc.channel.memory.SubscriberTable} (the rows),
 * {@link dev.uipc.channel.memory.DeliveryWords} (what happened to each slot's message);
 * {@link dev.uipc.channel.memory.ChannelFormat} writes new memory and validates mapped memory;
 * {@link dev.uipc.channel.memory.ChannelMemory} holds one channel's. No class outside this
 * package reads or writes a shared word, so "who writes {@code waiting}, and how?" is answered
 * by reading one class.
 *
 * <h2>Memory ordering</h2>
 * Every shared word is accessed through the two VarHandles of {@code Words}, with the VarHandle
 * verbs as the one vocabulary, as in the uring module, and each method's name ends with the
 * ordering it gives:
 * <ul>
 *   <li>{@code ...Release} ({@code setRelease}) publishes what was written before it: a
 *       producer's commit (the sequence after header and payload), a receiver's release of a
 *       slot (DONE, or its cursor, after the copy), a memory's version (after everything
 *       else).</li>
 *   <li>{@code ...Acquire} ({@code getAcquire}) reads such a word before reading what it
 *       publishes.</li>
 *   <li>{@code try...} and {@code compareAndSet...} decide races by compare-and-set: claiming a
 *       position (the tail), taking a message (its delivery word), reserving a row, choosing
 *       whom to wake.</li>
 *   <li>{@code ...Opaque} ({@code getOpaque}) reads a flag for its current value only.</li>
 *   <li>{@code ...FullFence} orders a store before a later load (a full fence, or an atomic
 *       read-modify-write, which is one): the Dekker pairs of waiting, "publish, fence, read the
 *       waiting count" against "announce waiting, fence, look again". Without it a wake-up is
 *       lost.</li>
 * </ul>
 * Each barrier carries a line saying what it makes visible before what. Plain reads and writes
 * are used only for fields published by one of the above (a header before its sequence, an
 * identity before its row's state) or read only by observers.
 *
 * <p>This package is internal: the module does not export it.
 */
package dev.uipc.channel.memory;
