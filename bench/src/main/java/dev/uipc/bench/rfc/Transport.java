package dev.uipc.bench.rfc;

import java.util.Locale;

/** What carries the messages: uipc, the RFC's three baselines, and the Java peers. */
enum Transport {
    /** pipe(2): one write(2) per message, read(2) until it is complete; one pipe per receiver. */
    PIPE("pipe", false),
    /** An AF_UNIX SOCK_STREAM socket pair, used as the pipe is; one pair per receiver. */
    UNIX_SOCKET("unix socket", false),
    /**
     * The RFC's third baseline: a plain single-producer single-consumer ring in shared memory,
     * woken through an eventfd when the other side sleeps; one ring per receiver.
     */
    SHM_EVENTFD("shm+eventfd", false),
    /** A uipc channel (unicast, broadcast or multicast). */
    UIPC("uipc", true),
    /** Aeron IPC through its media driver, an ExclusivePublication (one writer). */
    AERON_EXCLUSIVE("Aeron IPC exclusive", true),
    /** Aeron IPC through its media driver, a ConcurrentPublication (thread-safe, getAndAdd on the tail). */
    AERON_CONCURRENT("Aeron IPC concurrent", true),
    /** Agrona OneToOneRingBuffer in a shared file. */
    AGRONA_ONE_TO_ONE("Agrona 1→1 ring", true),
    /** Agrona ManyToOneRingBuffer in a shared file (a CAS on the tail per message). */
    AGRONA_MANY_TO_ONE("Agrona N→1 ring", true),
    /** Agrona BroadcastTransmitter and BroadcastReceivers: lossy, the transmitter never waits. */
    AGRONA_BROADCAST("Agrona broadcast", true);

    private final String label;
    private final boolean canReadInPlace;

    Transport(String label, boolean canReadInPlace) {
        this.label = label;
        this.canReadInPlace = canReadInPlace;
    }

    String label() {
        return label;
    }

    /** Whether a receiver can read a message where it lies (shared memory), not only copy it out. */
    boolean canReadInPlace() {
        return canReadInPlace;
    }

    /** Whether this transport needs the Aeron media driver. */
    boolean isAeron() {
        return this == AERON_EXCLUSIVE || this == AERON_CONCURRENT;
    }

    /** Whether one sender feeds N receivers by writing each message N times (one channel each). */
    boolean copiesPerReceiver() {
        return this == PIPE || this == UNIX_SOCKET || this == SHM_EVENTFD;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Transport parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
