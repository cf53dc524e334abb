package dev.felix.error;

/** A stream, cache, subscription, group or offset does not exist. */
public class NotFoundException extends FelixException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(ErrorCode code, String message) {
    super(code, message);
  }

  public NotFoundException(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
