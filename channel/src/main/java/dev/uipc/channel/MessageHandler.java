package dev.uipc.channel;

import java.lang.foreign.MemorySegment;

/**
 * Reads a message where it lies in the ring, without copying it: see
 * {@link Subscriber#tryReceive(MessageHandler, MessageInfo)}.
 */
@FunctionalInterface
public interface MessageHandler {
    /**
     * Reads one message where it lies; copy out what must outlive the call.
     *
     * @param slot a read-only view of the message's slot; the message is its first
     *             {@code info.length()} bytes. Valid only until this method returns: the slot
     *             is then released to producers, even if this method throws.
     * @param info the message's length, id, tag and sender
     */
    void onMessage(MemorySegment slot, MessageInfo info);
}
