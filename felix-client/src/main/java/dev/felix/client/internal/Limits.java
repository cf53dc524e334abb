package dev.felix.client.internal;

import dev.felix.client.FelixOptions;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.HelloOk;

/**
 * The limits a connection keeps to: the server's HelloOk announcement combined with the client's
 * own bounds (the smaller wins).
 *
 * <p>A server that announces 0 for a limit is taken to announce nothing for it: the protocol gives
 * 0 no meaning (no server accepts frames of 0 bytes), so the wire defaults and the client's options
 * apply instead. {@code idleTimeoutMs} 0 means no idle timeout, hence no keep-alive.
 *
 * @param maxFramePayloadBytes largest frame payload to send
 * @param maxRecordsPerBatch most records per PublishBatch
 * @param maxInflightBytes unacknowledged publish bytes allowed
 * @param maxSubscriptions server subscriptions allowed on the connection
 * @param idleTimeoutMs the server's idle timeout, 0 when none
 */
record Limits(
    int maxFramePayloadBytes,
    int maxRecordsPerBatch,
    long maxInflightBytes,
    int maxSubscriptions,
    int idleTimeoutMs) {

  static Limits of(HelloOk ok, FelixOptions options) {
    int frame =
        ok.maxFramePayloadBytes() > 0
            ? Math.min(ok.maxFramePayloadBytes(), WireLimits.ABSOLUTE_MAX_FRAME_PAYLOAD_BYTES)
            : WireLimits.DEFAULTS.maxFramePayloadBytes();
    int records =
        ok.maxRecordsPerBatch() > 0
            ? ok.maxRecordsPerBatch()
            : WireLimits.DEFAULTS.maxRecordsPerBatch();
    long inflight = options.batching().maxInflightBytes();
    if (ok.maxInflightPublishBytes() > 0) {
      inflight = Math.min(inflight, ok.maxInflightPublishBytes());
    }
    int subscriptions = ok.maxSubscriptions() > 0 ? ok.maxSubscriptions() : Integer.MAX_VALUE;
    return new Limits(frame, records, inflight, subscriptions, Math.max(0, ok.idleTimeoutMs()));
  }
}
