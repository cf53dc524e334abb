package dev.felix.transport;

import dev.felix.error.ErrorCode;
import java.util.Objects;

/**
 * Why a connection or a stream closed.
 *
 * <p>Application error codes on the wire are Felix {@link ErrorCode} numbers; {@link #NO_ERROR} (0)
 * means an orderly close. For a {@link Origin#TRANSPORT} close the code is a QUIC transport error
 * code (RFC 9000 section 20.1; TLS alerts are 0x100 + alert) instead.
 *
 * @param origin who or what closed it
 * @param code application error code (or QUIC transport code for {@link Origin#TRANSPORT}); {@link
 *     #UNKNOWN_CODE} when the peer gave none we can see
 * @param message human-readable reason, possibly empty; never contains payload bytes
 */
public record CloseReason(Origin origin, long code, String message) {
  /** Orderly close, no error. */
  public static final long NO_ERROR = 0;

  /** The code is not known (a STOP_SENDING from the peer, a lost connection). */
  public static final long UNKNOWN_CODE = -1;

  /** Who closed. */
  public enum Origin {
    /** This endpoint closed (the application, or the transport on a protocol violation). */
    LOCAL,
    /** The peer closed with an application error code. */
    PEER,
    /** No packet arrived within the idle timeout. */
    IDLE_TIMEOUT,
    /** QUIC itself failed: handshake, transport error from either side, lost socket. */
    TRANSPORT
  }

  public CloseReason {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(message, "message");
  }

  /** True for anything but an orderly close. */
  public boolean isError() {
    return code != NO_ERROR || origin == Origin.IDLE_TIMEOUT || origin == Origin.TRANSPORT;
  }

  /**
   * The Felix error code for application closes ({@link ErrorCode#INTERNAL} for numbers this
   * version does not define, null for {@link #NO_ERROR} and transport closes).
   */
  public ErrorCode errorCode() {
    if (code == NO_ERROR || origin == Origin.TRANSPORT || origin == Origin.IDLE_TIMEOUT) {
      return null;
    }
    return code > Integer.MAX_VALUE || code < 0
        ? ErrorCode.INTERNAL
        : ErrorCode.fromCode((int) code);
  }
}
