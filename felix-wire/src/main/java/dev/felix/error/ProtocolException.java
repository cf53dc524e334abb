package dev.felix.error;

/**
 * A peer sent bytes that violate the wire protocol; always answered, never thrown past a
 * connection.
 */
public class ProtocolException extends FelixException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(ErrorCode code, String message) {
    super(code, message);
  }

  public ProtocolException(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
