package dev.felix.client.internal;

import dev.felix.error.AuthException;
import dev.felix.error.ConflictException;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.error.ProtocolException;
import dev.felix.error.StorageException;
import dev.felix.error.UnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking waits of the synchronous API, and the mapping of failures to typed exceptions. */
final class Waits {
  private Waits() {}

  /**
   * Waits for {@code future} up to {@code timeoutNanos}.
   *
   * @throws FelixException the future's failure, re-created on the caller's stack with the original
   *     as cause; {@code TIMEOUT} when the wait ran out; {@code UNAVAILABLE} when interrupted (with
   *     the interrupt flag set again)
   */
  static <T> T await(CompletableFuture<T> future, long timeoutNanos, String what) {
    try {
      return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw onCallerStack(toFelix(e.getCause()));
    } catch (TimeoutException e) {
      throw new UnavailableException(
          ErrorCode.TIMEOUT,
          what + " did not complete within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException(
          ErrorCode.UNAVAILABLE, "interrupted while waiting for " + what, e);
    }
  }

  /** Any throwable as a Felix exception: itself when it is one, else {@code UNAVAILABLE}. */
  static FelixException toFelix(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException || cause instanceof ExecutionException) {
      if (cause.getCause() == null) {
        break;
      }
      cause = cause.getCause();
    }
    if (cause instanceof FelixException felix) {
      return felix;
    }
    return new UnavailableException(ErrorCode.UNAVAILABLE, String.valueOf(cause), cause);
  }

  /**
   * The same failure (class, code, message) with the current thread's stack and the original as
   * cause: the original was created on a network thread, whose stack tells the caller nothing.
   */
  static FelixException onCallerStack(FelixException e) {
    ErrorCode code = e.code();
    String message = e.getMessage();
    return switch (code.category()) {
      case PROTOCOL -> new ProtocolException(code, message, e);
      case AUTH -> new AuthException(code, message, e);
      case NOT_FOUND -> new NotFoundException(code, message, e);
      case CONFLICT -> new ConflictException(code, message, e);
      case LIMIT -> new LimitException(code, message, e);
      case STORAGE -> new StorageException(code, message, e);
      case UNAVAILABLE -> new UnavailableException(code, message, e);
      case INTERNAL -> new FelixException(code, message, e);
    };
  }
}
