package dev.uipc.bench.rfc.endpoint;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/** The Agrona idle strategy that stands for a wait class, for the peers that poll (Aeron and Agrona). */
final class Idle {
    private Idle() {
    }

    static IdleStrategy of(String wait) {
        return switch (wait) {
            case "spin" -> new BusySpinIdleStrategy();
            // Aeron's documented default: spin 10, yield 5, then park from 1 us doubling to 1 ms.
            case "spin-then-park" -> new BackoffIdleStrategy();
            default -> throw new IllegalArgumentException("Aeron and Agrona poll; they have no '" + wait
                    + "' (a sleep until woken): use spin or spin-then-park");
        };
    }
}
