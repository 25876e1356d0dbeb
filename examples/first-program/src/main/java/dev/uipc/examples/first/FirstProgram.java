package dev.uipc.examples.first;

import dev.uipc.channel.Access;
import dev.uipc.channel.Channel;
import dev.uipc.channel.ChannelOptions;
import dev.uipc.channel.MessageInfo;
import dev.uipc.channel.Mode;
import dev.uipc.channel.Outcome;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Subscriber;
import dev.uipc.uring.Completion;
import dev.uipc.uring.IoUring;
import dev.uipc.uring.Ring;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The first program of uipc's API overview, which shows its two regions from this file: a
 * channel created, attached to by a sender and a receiver, a message sent and received; and one
 * operation through an io_uring. Run it with {@code --enable-native-access=dev.uipc.uring} on the
 * module path, or {@code --enable-native-access=ALL-UNNAMED} on the class path. It prints what it
 * received and exits 0, or says what went wrong and exits 1.
 */
public final class FirstProgram {
    private FirstProgram() {
    }

    /**
     * Runs both parts and checks what they returned.
     *
     * @param args none
     */
    public static void main(String[] args) {
        if (!IoUring.isAvailable()) {
            System.err.println("first-program: " + IoUring.unavailabilityCause());
            System.exit(1);
        }
        String message = sendAndReceive();
        Completion completion = oneOperationThroughARing();
        if (!message.equals("hello") || completion.result() != 0 || completion.userData() != 42) {
            System.err.println("first-program: received '" + message + "' and " + completion
                    + " where 'hello', result 0 and user data 42 were due; uipc is broken, please report it.");
            System.exit(1);
        }
        System.out.println("received '" + message + "' through a channel, and user data " + completion.userData()
                + " through an io_uring");
    }

    /** Creates a channel, attaches a sender and a receiver, sends a message and receives it. */
    private static String sendAndReceive() {
        // @start region="channel"
        try (Registry registry = Registry.open();        // the broker: the system's, or this user's, started on demand
             Channel channel = registry.create(ChannelOptions.of(Mode.UNICAST).withKey(0x1234));
             Subscriber sender = registry.attachByKey(0x1234, Access.SEND);
             Subscriber receiver = registry.attachByKey(0x1234, Access.RECV)) {
            sender.trySend("hello".getBytes(StandardCharsets.UTF_8));        // bytes sent, or Outcome.FULL
            byte[] buffer = new byte[receiver.maxMessageSize()];
            MessageInfo info = new MessageInfo();                            // sender, pid, uid, tag ...
            int n = receiver.receive(buffer, info, Duration.ofSeconds(1));   // bytes, or Outcome.TIMED_OUT
            return n >= 0 ? new String(buffer, 0, n, StandardCharsets.UTF_8) : Outcome.describe(n);
        }                                                    // closing the channel destroys it
        // @end
    }

    /** Submits one operation that does nothing to an io_uring and takes its completion. */
    private static Completion oneOperationThroughARing() {
        // @start region="ring"
        try (Ring ring = Ring.open(8)) {                     // the calling thread owns it
            ring.prepare().nop().userData(42);
            ring.submitAndWait(1);
            Completion completion = new Completion();
            ring.next(completion);                            // result 0, user data 42
            return completion;
        }
        // @end
    }
}
