/**
 * Channels: message passing between processes on one host through shared memory — the IPC
 * channel system of the io_uring RFC "io_uring: add IPC channel infrastructure", in userspace.
 *
 * <h2>Where things are</h2>
 * <ul>
 *   <li>This package, the API: {@link dev.uipc.channel.Registry} (create, attach, destroy,
 *       list), {@link dev.uipc.channel.Channel} (the creator's handle),
 *       {@link dev.uipc.channel.Subscriber} (send and receive; a facade over its package-private
 *       {@code Sending} and {@code Receiving}), {@link dev.uipc.channel.ChannelOptions},
 *       {@link dev.uipc.channel.Mode}, {@link dev.uipc.channel.Access},
 *       {@link dev.uipc.channel.MessageInfo}, {@link dev.uipc.channel.MessageHandler},
 *       {@link dev.uipc.channel.Outcome}, {@link dev.uipc.channel.WaitStrategy},
 *       {@link dev.uipc.channel.ChannelSnapshot}, {@link dev.uipc.channel.ChannelException}.</li>
 *   <li>{@code layout}: one descriptor class per shared-memory structure, specified byte by byte
 *       in {@code docs/LAYOUT.md} — where a field is.</li>
 *   <li>{@code memory}: one flyweight per shared record, whose methods are the protocol's state
 *       changes with their memory ordering in the name — what may happen to a field. The only
 *       code that reads or writes shared memory.</li>
 *   <li>{@code delivery}: what differs between unicast, multicast and broadcast (one class each),
 *       the producer, the receivers, and what a departed subscriber leaves behind.</li>
 *   <li>{@code waiting}: the one wait loop, the futex sleep (system call or io_uring), and the
 *       doorbells that wake.</li>
 * </ul>
 * A message's path: {@code Subscriber.send} → {@code Sending} (the attempt, inside
 * {@code Waiter}) → {@code Producer.tryClaim} → copy → {@code Producer.commit} →
 * {@code DeliveryMode.wakeReceivers}; on the other side {@code Subscriber.receive} →
 * {@code Receiving} → {@code Receiver.take} → the handler → {@code Receiver.release}.
 *
 * <h2>Threads and processes</h2>
 * Registry and Channel are thread-safe. A Subscriber is used by one thread at a time; give
 * each sending or receiving thread its own. Any number of processes may attach to one
 * channel; nothing on a send or receive path allocates or throws for an expected outcome.
 */
package dev.uipc.channel;
