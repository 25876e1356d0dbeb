/**
 * Delivering messages: {@link dev.uipc.channel.delivery.DeliveryMode} and its one class per mode
 * ({@link dev.uipc.channel.delivery.Unicast}, {@link dev.uipc.channel.delivery.Multicast}, both
 * {@link dev.uipc.channel.delivery.CompetingDelivery}; {@link dev.uipc.channel.delivery.Broadcast})
 * own everything that differs between them; {@link dev.uipc.channel.delivery.Producer} claims and
 * commits; {@link dev.uipc.channel.delivery.Receiver} takes and releases;
 * {@link dev.uipc.channel.delivery.Recovery} applies the protocol's rules to a departed
 * subscriber's row ({@code docs/LAYOUT.md} section 6), and
 * {@link dev.uipc.channel.delivery.PeerLiveness} says how this process learns of deaths
 * ({@link dev.uipc.channel.delivery.ProcessReaper} polls {@code /proc}).
 *
 * <p>To add a delivery mode, add one subclass of {@code DeliveryMode} and name it in
 * {@code DeliveryMode.of}. This package is internal: the module does not export it.
 */
package dev.uipc.channel.delivery;
