package dev.felix.bench.shape;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/**
 * The loop of every thread of the shapes: repeat one I/O step while the shape is open. An I/O
 * failure while it is open is a broken benchmark and is thrown; one after closing is how a closed
 * channel ends the loop.
 */
final class IoLoop {
  /** One turn of a thread's loop. */
  interface Step {
    void run() throws IOException;
  }

  private IoLoop() {}

  static void repeat(BooleanSupplier open, Step step) {
    try {
      while (open.getAsBoolean()) {
        step.run();
      }
    } catch (IOException e) {
      if (open.getAsBoolean()) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
