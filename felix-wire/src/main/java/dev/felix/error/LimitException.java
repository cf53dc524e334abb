package dev.felix.error;

/** A configured limit or back-pressure bound was hit. */
public class LimitException extends FelixException {
  private static final long serialVersionUID = 1L;

  public LimitException(ErrorCode code, String message) {
    super(code, message);
  }

  public LimitException(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
