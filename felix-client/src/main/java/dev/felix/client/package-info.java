/**
 * The Felix Java client.
 *
 * <p>The public API is this package: {@link dev.felix.client.Felix#connect(FelixOptions)} returns a
 * {@link dev.felix.client.FelixClient} that publishes ({@link dev.felix.client.OutgoingMessage},
 * {@link dev.felix.client.PublishReceipt}) and subscribes ({@link
 * dev.felix.client.SubscribeOptions}, {@link dev.felix.client.Subscription}, {@link
 * dev.felix.client.ReceivedRecord}). Asynchronous trouble reaches the application through a {@link
 * dev.felix.client.ClientListener}. Everything in {@code dev.felix.client.internal} is
 * implementation and may change without notice.
 *
 * <pre>{@code
 * try (FelixClient client = Felix.connect(FelixOptions.defaults())) {
 *   PublishReceipt receipt = client.publish("orders", "hello".getBytes(UTF_8));
 *   try (Subscription sub = client.subscribe("orders", SubscribeOptions.earliest())) {
 *     ReceivedRecord record = sub.poll(Duration.ofSeconds(5));
 *   }
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Every method of the API is thread-safe. A client owns a QUIC event-loop
 * thread, a scheduler thread, a callback thread (listener and {@code publishAsync} completions) and
 * one dispatcher thread per listener subscription; {@link dev.felix.client.FelixClient#close()}
 * stops all of them. See {@code docs/client.md}.
 */
package dev.felix.client;
