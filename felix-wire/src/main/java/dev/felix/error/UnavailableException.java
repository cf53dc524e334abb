package dev.felix.error;

/** The server is starting, draining or timed out. */
public class UnavailableException extends FelixException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(ErrorCode code, String message) {
    super(code, message);
  }

  public UnavailableException(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
