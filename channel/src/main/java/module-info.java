/**
 * uipc channels: message passing between processes on one host through shared memory, with
 * unicast, broadcast and multicast delivery, permissions enforced by file modes, and receivers
 * that sleep on futex words. Entry point: {@link dev.uipc.channel.Registry}.
 */
// "module": javac compiles this module before the command it exports to, so it cannot find it
// and would warn; it is uipc's own, built right after it.
@SuppressWarnings("module")
module dev.uipc.channel {
    requires transitive dev.uipc.uring;

    exports dev.uipc.channel;
    exports dev.uipc.channel.layout;
    // The command says which broker it uses and how that was chosen, in its own words.
    exports dev.uipc.channel.broker to dev.uipc.cli;
}
