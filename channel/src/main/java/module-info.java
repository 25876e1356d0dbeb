/**
 * uipc channels: message passing between processes on one host through shared memory, with
 * unicast, broadcast and multicast delivery, permissions enforced by file modes, and receivers
 * that sleep on futex words. Entry point: {@link dev.uipc.channel.Registry}.
 */
module dev.uipc.channel {
    requires transitive dev.uipc.uring;

    exports dev.uipc.channel;
    exports dev.uipc.channel.layout;
}
