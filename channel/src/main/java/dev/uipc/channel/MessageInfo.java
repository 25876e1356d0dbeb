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

    /**
     * The message's position in the channel: unique, and increasing in the order senders
     * claimed their slots (so a gap means messages another receiver took, or a redelivery).
     *
     * @return the message id, 0 for the channel's first message
     */
    public long messageId() {
        return messageId;
    }

    /**
     * The message's full length, as sent, even if the buffer held fewer bytes.
     *
     * @return the length in bytes
     */
    public int length() {
        return length;
    }

    /**
     * The bytes copied into the buffer: what the receive returned.
     *
     * @return the bytes copied, less than {@link #length()} if the buffer was smaller
     */
    public int copied() {
        return copied;
    }

    /**
     * Whether the buffer was too small for the whole message: the rest is lost, since the
     * message is consumed. Receive into a buffer of {@link Subscriber#maxMessageSize()} bytes to
     * never lose any.
     *
     * @return true if fewer bytes were copied than the message held
     */
    public boolean truncated() {
        return copied < length;
    }

    /**
     * The tag its sender gave the message: 64 bits the channel carries unread, for the
     * application's own use (a type, a stream, a correlation id).
     *
     * @return the tag, 0 if the sender gave none
     */
    public long tag() {
        return tag;
    }

    /**
     * The subscriber that sent the message. If it was attached to send and receive
     * ({@link Access#BOTH}), a reply can name it as its target.
     *
     * @return the sender's subscriber id
     */
    public int senderId() {
        return senderId;
    }

    /**
     * The sending process, as the sender wrote it into the message: senders of a channel can
     * pose as each other (see the threat model); {@link ChannelSnapshot} shows the pids the
     * kernel vouched for.
     *
     * @return the sender's pid
     */
    public int senderPid() {
        return senderPid;
    }

    /**
     * The sending user, as the sender wrote it into the message, with the same caveat as
     * {@link #senderPid()}.
     *
     * @return the sender's effective uid
     */
    public int senderUid() {
        return senderUid;
    }

    /**
     * The subscriber the message was sent to.
     *
     * @return that subscriber's id, or 0 if any receiver could take it
     */
    public int target() {
        return target;
    }

    /**
     * Whether the message was offered again because the receiver that first took it died
     * before finishing (or because its assigned multicast receiver left). Such a message may
     * arrive after later ones.
     *
     * @return true if another receiver had taken the message before
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
