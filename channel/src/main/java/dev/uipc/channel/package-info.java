/**
 * Channels: message passing between processes on one host through shared memory.
 *
 * <h2>Where things are</h2>
 * <ul>
 *   <li>The API: {@link dev.uipc.channel.Registry} (create, attach, destroy, list),
 *       {@link dev.uipc.channel.Channel} (the creator's handle), {@link dev.uipc.channel.Subscriber}
 *       (send and receive), {@link dev.uipc.channel.ChannelOptions}, {@link dev.uipc.channel.Mode},
 *       {@link dev.uipc.channel.Access}, {@link dev.uipc.channel.MessageInfo},
 *       {@link dev.uipc.channel.Status}, {@link dev.uipc.channel.WaitStrategy},
 *       {@link dev.uipc.channel.ChannelStatus}, {@link dev.uipc.channel.ChannelException}.</li>
 *   <li>The shared memory: one descriptor class per structure in {@code dev.uipc.channel.layout},
 *       specified byte by byte in {@code docs/LAYOUT.md}.</li>
 *   <li>The engine, package-private: {@code MappedChannel} (opens and validates the two files),
 *       {@code Producer} (claim, commit), {@code SharedConsumer} and {@code BroadcastConsumer}
 *       (take, finish), {@code Doorbells} and {@code Sleeper} (waking and sleeping),
 *       {@code Reaper} (dead peers), {@code RegistryLock}, {@code Permissions},
 *       {@code Snapshots}.</li>
 * </ul>
 *
 * <h2>Memory ordering</h2>
 * Every shared word is accessed through the two VarHandles of {@code Words}, with the
 * VarHandle verbs as the one vocabulary, as in the uring module:
 * <ul>
 *   <li>{@code setRelease} publishes what was written before it: a producer's commit (the
 *       descriptor's sequence after the header and payload), a receiver's release of a slot
 *       (DONE, or its cursor, after the copy), a file's version (after everything else).</li>
 *   <li>{@code getAcquire} reads such a word before reading what it publishes.</li>
 *   <li>{@code compareAndSet} decides races: claiming a position (the tail), taking a message
 *       (its delivery word), joining (a subscriber row), waking (a row's waiting flag).</li>
 *   <li>{@code getOpaque} reads a flag for its current value only (the destroyed state, the
 *       waiting counts after a fence).</li>
 *   <li>{@code VarHandle.fullFence()} (or an atomic add, which is one) orders a store before a
 *       later load: the Dekker pairs of waiting, "publish, fence, read the waiting count" against
 *       "announce waiting, fence, look again". Without it a wake-up is lost.</li>
 * </ul>
 * Each barrier in the code carries a line saying what it makes visible before what.
 *
 * <h2>Threads and processes</h2>
 * Registry and Channel are thread-safe. A Subscriber is used by one thread at a time; give
 * each sending or receiving thread its own. Any number of processes may attach to one
 * channel; nothing on a send or receive path allocates or throws for an expected outcome.
 */
package dev.uipc.channel;
