/**
 * Implementation of the Felix client; not API. The roles follow STYLE.md: {@link
 * dev.felix.client.internal.ControlStreamListener} and {@link
 * dev.felix.client.internal.SubscriptionPart} are inbound adapters (bytes to calls), {@link
 * dev.felix.client.internal.Session} is the outbound proxy of one connection (calls to frames);
 * {@link dev.felix.client.internal.ConnectionManager}, {@link dev.felix.client.internal.Publisher}
 * and {@link dev.felix.client.internal.SubscriptionManager} own the state and never see bytes.
 *
 * <p><b>Threads.</b> QUIC frames arrive on the transport's event loop, which is never blocked:
 * handlers there only decode, update state under short locks and hand work on. The client's
 * scheduler thread runs timers (linger, timeouts, keep-alive, reconnect back-off) and asynchronous
 * batch sends. The callback thread runs {@link dev.felix.client.ClientListener} methods and
 * completes {@code publishAsync} futures. Each listener subscription has a dispatcher thread.
 * Blocking calls (synchronous publish, subscribe, unsubscribe, close) block only their caller.
 */
package dev.felix.client.internal;
