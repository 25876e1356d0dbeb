/** The first program: a separate project using uipc's published modules. */
module dev.uipc.examples.first {
    requires dev.uipc.channel;      // and, transitively, dev.uipc.uring
}
