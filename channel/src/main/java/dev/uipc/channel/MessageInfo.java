package dev.uipc.channel;

/**
 * What a receive says about the message it delivered, beside its bytes: a holder the caller
 * owns and reuses, so that receiving allocates nothing. Valid after a receive that returned a
 * byte count, until the next one.
 */
public final class MessageInfo {
    private long messageId;
    private int length;
    private int copied;
    private long tag;
    private int senderId;
    private int senderPid;
    private int senderUid;
    private int target;
    private boolean redelivered;

    /** An empty holder for {@link Subscriber#tryReceive}. */
    public MessageInfo() {
    }

    void set(long messageId, int length, int copied, long tag, int senderId, int senderPid, int senderUid,
             int target, boolean redelivered) {
        this.messageId = messageId;
        this.length = length;
        this.copied = copied;
        this.tag = tag;
        this.senderId = senderId;
        this.senderPid = senderPid;
        this.senderUid = senderUid;
        this.target = target;
        this.redelivered = redelivered;
    }

    /** The message's position in the channel: unique, increasing in the order senders claimed them. */
    public long messageId() {
        return messageId;
    }

    /** The message's full length. */
    public int length() {
        return length;
    }

    /** The bytes copied into the buffer: less than {@link #length()} if the buffer was smaller. */
    public int copied() {
        return copied;
    }

    public boolean truncated() {
        return copied < length;
    }

    /** The sender's 64-bit tag. */
    public long tag() {
        return tag;
    }

    /** The sender's subscriber id. */
    public int senderId() {
        return senderId;
    }

    public int senderPid() {
        return senderPid;
    }

    public int senderUid() {
        return senderUid;
    }

    /** The subscriber the message was sent to, 0 if any receiver could take it. */
    public int target() {
        return target;
    }

    /**
     * Whether the message was offered again because the receiver that first took it died
     * before finishing (or because its assigned multicast receiver left). Such a message may
     * arrive after later ones.
     */
    public boolean redelivered() {
        return redelivered;
    }

    @Override
    public String toString() {
        return "MessageInfo[id=" + messageId + ", length=" + length + (truncated() ? " (copied " + copied + ")" : "")
                + ", tag=" + tag + ", sender=" + senderId + " pid " + senderPid + " uid " + senderUid
                + (target != 0 ? ", target=" + target : "") + (redelivered ? ", redelivered" : "") + "]";
    }
}
