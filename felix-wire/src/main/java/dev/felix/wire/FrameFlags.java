package dev.felix.wire;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;

/**
 * Bits of the frame header's {@code flags} field.
 *
 * <p>v1 defines two bits and reserves them: a payload that is compressed (codec in the header's
 * {@code compression} byte) or encrypted (a key-id envelope precedes the ciphertext, see
 * docs/protocol.md). Neither is negotiable in v1, so a v1 receiver rejects both with {@link
 * ErrorCode#UNSUPPORTED_FEATURE}; every other bit is rejected too, never ignored, so that a later
 * version can give bits meaning without old peers silently misreading frames.
 */
public final class FrameFlags {
  /** Payload compressed with the codec in the header's {@code compression} byte (reserved). */
  public static final int COMPRESSED = 1;

  /** Payload is a key-id envelope around ciphertext (reserved). */
  public static final int ENCRYPTED = 1 << 1;

  /** Bits a v1 peer accepts without negotiation. */
  public static final int SUPPORTED_V1 = 0;

  private FrameFlags() {}

  static void validate(int flags) {
    if ((flags & (COMPRESSED | ENCRYPTED)) != 0) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_FEATURE,
          "frame flags 0x"
              + Integer.toHexString(flags)
              + " use compression/encryption, not negotiated");
    }
    if ((flags & ~SUPPORTED_V1) != 0) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_FEATURE, "unknown frame flag bits 0x" + Integer.toHexString(flags));
    }
  }
}
