package dev.felix.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waiting on conditions instead of sleeping a guessed time. */
final class Await {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Await() {}

  /** Polls {@code condition} every few milliseconds until it holds, or fails after 10 s. */
  static void until(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("timed out waiting until " + what);
      }
      Thread.sleep(2);
    }
  }

  static <T> T result(CompletableFuture<T> future) throws Exception {
    return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The exception the future failed with (unwrapped). */
  static Throwable failure(CompletableFuture<?> future) throws Exception {
    try {
      future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the future to fail, but it completed");
  }
}
