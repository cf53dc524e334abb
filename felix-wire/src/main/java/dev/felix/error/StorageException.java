package dev.felix.error;

/** The storage layer failed; acknowledged data is intact. */
public class StorageException extends FelixException {
  private static final long serialVersionUID = 1L;

  public StorageException(ErrorCode code, String message) {
    super(code, message);
  }

  public StorageException(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
