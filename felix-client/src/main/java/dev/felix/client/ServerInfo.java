package dev.felix.client;

/**
 * What the broker announced in its HelloOk, and where it was reached. The client keeps to these
 * limits when it builds frames.
 *
 * @param address {@code host:port} the connection went to
 * @param serverId the broker node's id
 * @param region the sovereign region the broker belongs to
 * @param version the protocol version chosen for the connection (1)
 * @param capabilities granted capability bits ({@link dev.felix.wire.Capabilities})
 * @param maxFramePayloadBytes largest frame payload the server accepts
 * @param maxRecordsPerBatch most records per PublishBatch
 * @param maxInflightPublishBytes unacknowledged publish bytes allowed per connection
 * @param maxSubscriptions subscriptions allowed per connection
 * @param idleTimeoutMs the server closes a connection silent for this long; the client pings at a
 *     third of it
 */
public record ServerInfo(
    String address,
    String serverId,
    String region,
    int version,
    long capabilities,
    int maxFramePayloadBytes,
    int maxRecordsPerBatch,
    int maxInflightPublishBytes,
    int maxSubscriptions,
    int idleTimeoutMs) {}
