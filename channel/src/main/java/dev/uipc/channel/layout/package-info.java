/**
 * The shared-memory layout of a channel, one descriptor class per structure of
 * {@code docs/LAYOUT.md}: {@link dev.uipc.channel.layout.RingFileDescriptor} (the ring file's
 * header and tail), {@link dev.uipc.channel.layout.MessageDescriptor} (one message),
 * {@link dev.uipc.channel.layout.ControlFileDescriptor} (the control file's header),
 * {@link dev.uipc.channel.layout.SubscriberDescriptor} (one subscriber row),
 * {@link dev.uipc.channel.layout.DeliveryWord} (what happened to one slot), and
 * {@link dev.uipc.channel.layout.ChannelGeometry} (where everything lies).
 *
 * <p>Each descriptor holds a {@link java.lang.foreign.StructLayout} whose field names are those
 * of the specification, and offsets derived from it; {@code LayoutSpecificationTest} parses the
 * specification and compares them field by field, so the document and the code cannot drift.
 * These classes are exported for programs that read channel files themselves (monitoring, other
 * languages' bindings); they hold no state.
 */
package dev.uipc.channel.layout;
