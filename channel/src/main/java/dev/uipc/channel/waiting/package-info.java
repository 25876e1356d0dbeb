/**
 * Waiting and waking ({@code docs/LAYOUT.md} section 5): {@link dev.uipc.channel.waiting.Waiter},
 * the one wait loop for a message or for room, driven by a
 * {@link dev.uipc.channel.WaitStrategy} and parking with the Dekker discipline;
 * {@link dev.uipc.channel.waiting.Attempt}, what it waits for; {@code Sleeper}, the futex sleep
 * by system call or io_uring; {@link dev.uipc.channel.waiting.Doorbells}, which wake. This
 * package is internal: the module does not export it.
 */
package dev.uipc.channel.waiting;
