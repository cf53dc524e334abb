package dev.felix.error;

/** Authentication or authorization failed. */
public class AuthException extends FelixException {
  private static final long serialVersionUID = 1L;

  public AuthException(ErrorCode code, String message) {
    super(code, message);
  }

  public AuthException(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
