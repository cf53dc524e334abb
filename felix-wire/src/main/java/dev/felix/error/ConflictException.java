package dev.felix.error;

/** A resource already exists or a version check failed. */
public class ConflictException extends FelixException {
  private static final long serialVersionUID = 1L;

  public ConflictException(ErrorCode code, String message) {
    super(code, message);
  }

  public ConflictException(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
