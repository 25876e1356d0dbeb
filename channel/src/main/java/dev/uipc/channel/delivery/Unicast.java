package dev.uipc.channel.delivery;

import dev.uipc.channel.Mode;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.waiting.RingDirectory;

/**
 * Unicast, the RFC's default: each message is received once, by whichever receiver takes it
 * first — or only by its target, if its sender named one.
 */
public final class Unicast extends CompetingDelivery {
    Unicast(ChannelMemory memory, RingDirectory rings) {
        super(memory, rings);
    }

    @Override
    public Mode mode() {
        return Mode.UNICAST;
    }
}
