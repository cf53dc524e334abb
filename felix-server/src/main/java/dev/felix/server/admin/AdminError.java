package dev.felix.server.admin;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;

/**
 * A refused admin request: the HTTP status, the Felix error code, the field at fault (if one) and
 * why. Rendered as {@code {"error": CODE, "field": ..., "message": ...}}.
 */
final class AdminError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final ErrorCode code;
  final String field;

  AdminError(int status, ErrorCode code, String field, String message) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** A value that fails validation: 400, INVALID_ARGUMENT, naming the field. */
  static AdminError invalid(String field, String message) {
    return new AdminError(400, ErrorCode.INVALID_ARGUMENT, field, field + ": " + message);
  }

  /** The HTTP form of a broker error. */
  static AdminError of(FelixException e) {
    int status =
        switch (e.code().category()) {
          case NOT_FOUND -> 404;
          case CONFLICT -> 409;
          case LIMIT -> 429;
          case PROTOCOL -> 400;
          case AUTH -> e.code() == ErrorCode.UNAUTHENTICATED ? 401 : 403;
          case STORAGE -> 507;
          case UNAVAILABLE -> 503;
          case INTERNAL -> 500;
        };
    return new AdminError(status, e.code(), null, e.getMessage());
  }
}
