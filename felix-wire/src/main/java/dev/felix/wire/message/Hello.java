package dev.felix.wire.message;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.Bytes;
import dev.felix.wire.MessageType;
import dev.felix.wire.PayloadReader;
import dev.felix.wire.PayloadWriter;
import java.util.Objects;

/**
 * First frame a client sends on its control stream: which protocol versions it speaks, which
 * capabilities it wants and, optionally, who it is.
 *
 * <pre>
 * u8  minVersion      lowest protocol version the client speaks (>= 1)
 * u8  maxVersion      highest (>= minVersion)
 * u64 capabilities    requested capability bits (see Capabilities)
 * u16 clientNameLength, UTF-8 clientName (<= 255 bytes; may be empty)
 * u16 tokenLength, token bytes (0 = no token; at most WireLimits.maxTokenBytes)
 * </pre>
 */
public record Hello(
    int minVersion, int maxVersion, long capabilities, String clientName, Bytes token)
    implements Message {
  public static final int MAX_CLIENT_NAME_BYTES = 255;

  public Hello {
    if (minVersion < 1 || maxVersion < minVersion || maxVersion > 255) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "bad version range " + minVersion + ".." + maxVersion);
    }
    TextFields.require("clientName", clientName, MAX_CLIENT_NAME_BYTES);
    Objects.requireNonNull(token, "token");
  }

  @Override
  public MessageType type() {
    return MessageType.HELLO;
  }

  @Override
  public void encode(PayloadWriter out) {
    out.u8(minVersion).u8(maxVersion).i64(capabilities).string(clientName).bytes16(token);
  }

  static Hello decode(PayloadReader in) {
    return new Hello(
        in.u8("minVersion"),
        in.u8("maxVersion"),
        in.i64("capabilities"),
        in.string("clientName", MAX_CLIENT_NAME_BYTES),
        in.bytes16("token", in.limits().maxTokenBytes()));
  }

  /** Hides the token: this record is logged. */
  @Override
  public String toString() {
    return "Hello[versions="
        + minVersion
        + ".."
        + maxVersion
        + ", capabilities=0x"
        + Long.toHexString(capabilities)
        + ", clientName="
        + clientName
        + ", token="
        + (token.length() == 0 ? "none" : "<" + token.length() + " bytes>")
        + "]";
  }
}
