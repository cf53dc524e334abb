package dev.felix.wire.message;

import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;

/**
 * The server's answer to {@link Hello}: the chosen version, the granted capabilities, where the
 * client is (server id and sovereign region) and the limits it must respect.
 *
 * <pre>
 * u8  version                  chosen protocol version
 * u64 capabilities             granted bits (a subset of those requested)
 * u16 serverIdLength, UTF-8 serverId
 * u16 regionLength,   UTF-8 region
 * u32 maxFramePayloadBytes     largest frame payload the server accepts
 * u32 maxRecordsPerBatch
 * u32 maxInflightPublishBytes  unacknowledged publish bytes allowed per connection
 * u32 maxSubscriptions         per connection
 * u32 idleTimeoutMs            the connection closes after this long without traffic
 * </pre>
 */
public record HelloOk(
    int version,
    long capabilities,
    String serverId,
    String region,
    int maxFramePayloadBytes,
    int maxRecordsPerBatch,
    int maxInflightPublishBytes,
    int maxSubscriptions,
    int idleTimeoutMs)
    implements Message {
  public static final int MAX_ID_BYTES = 255;

  public HelloOk {
    TextFields.require("serverId", serverId, MAX_ID_BYTES);
    TextFields.require("region", region, MAX_ID_BYTES);
  }

  @Override
  public MessageType type() {
    return MessageType.HELLO_OK;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u8(version)
        .i64(capabilities)
        .string(serverId)
        .string(region)
        .u32(maxFramePayloadBytes)
        .u32(maxRecordsPerBatch)
        .u32(maxInflightPublishBytes)
        .u32(maxSubscriptions)
        .u32(idleTimeoutMs);
  }

  static HelloOk decode(PayloadReader in) {
    return new HelloOk(
        in.u8("version"),
        in.i64("capabilities"),
        in.string("serverId", MAX_ID_BYTES),
        in.string("region", MAX_ID_BYTES),
        in.u32("maxFramePayloadBytes"),
        in.u32("maxRecordsPerBatch"),
        in.u32("maxInflightPublishBytes"),
        in.u32("maxSubscriptions"),
        in.u32("idleTimeoutMs"));
  }
}
