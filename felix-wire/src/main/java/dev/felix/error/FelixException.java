package dev.felix.error;

/**
 * The one unchecked root of every Felix failure. Each carries an {@link ErrorCode} so that it can
 * be answered on the wire, counted in a metric and matched by a client without parsing text.
 * Subclasses exist per {@link ErrorCode.Category}; {@link #of} picks the right one.
 */
public class FelixException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public FelixException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public FelixException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** Builds the exception subclass that matches the code's category. */
  public static FelixException of(ErrorCode code, String message) {
    return switch (code.category()) {
      case PROTOCOL -> new ProtocolException(code, message);
      case AUTH -> new AuthException(code, message);
      case NOT_FOUND -> new NotFoundException(code, message);
      case CONFLICT -> new ConflictException(code, message);
      case LIMIT -> new LimitException(code, message);
      case STORAGE -> new StorageException(code, message);
      case UNAVAILABLE -> new UnavailableException(code, message);
      case INTERNAL -> new FelixException(code, message);
    };
  }
}
