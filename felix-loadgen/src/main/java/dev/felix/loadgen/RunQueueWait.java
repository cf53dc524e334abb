package dev.felix.loadgen;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How long a process's threads were ready to run but waited for a CPU: the second field of Linux's
 * {@code /proc/<pid>/task/<tid>/schedstat} (run-queue delay, nanoseconds), summed over threads.
 *
 * <p>Why a benchmark reports it: on a machine the broker and the load shares (2 cores here), a
 * latency tail often comes from threads queued behind other threads, not from the code they run.
 * Waiting as long as running means every hand-off between threads (publisher, event loop, broker,
 * subscriber) pays a queueing delay, and tails follow. The figure says whether a run measured Felix
 * or the machine's contention.
 *
 * <p>A snapshot holds each thread's figure; {@link #secondsSince} counts threads alive at both ends
 * by their difference and threads started since by their whole figure. A thread that ended in
 * between is lost, so call it before closing the run's connections.
 *
 * @param pid the process
 * @param nanosByThread run-queue delay so far per thread id; empty when unavailable
 */
public record RunQueueWait(long pid, Map<String, Long> nanosByThread) {

  /** The figures of {@code pid}'s threads now; empty where the kernel does not provide them. */
  public static RunQueueWait of(long pid) {
    Map<String, Long> waits = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        readWait(thread).ifPresent(nanos -> waits.put(thread.getFileName().toString(), nanos));
      }
    } catch (IOException | SecurityException e) {
      return new RunQueueWait(pid, Map.of());
    }
    return new RunQueueWait(pid, Map.copyOf(waits));
  }

  /** This JVM's threads now. */
  public static RunQueueWait ofThisProcess() {
    return of(ProcessHandle.current().pid());
  }

  /** True when the kernel reported at least one thread (Linux with schedstat). */
  public boolean available() {
    return !nanosByThread.isEmpty();
  }

  /** Seconds the process's threads waited for a CPU from this snapshot to now; NaN if unknown. */
  public double secondsSince() {
    return of(pid).secondsAfter(this);
  }

  /** Seconds waited between {@code earlier} and this snapshot (same process); NaN if unknown. */
  public double secondsAfter(RunQueueWait earlier) {
    if (!available() || !earlier.available()) {
      return Double.NaN;
    }
    long nanos = 0;
    for (Map.Entry<String, Long> thread : nanosByThread.entrySet()) {
      nanos +=
          Math.max(0, thread.getValue() - earlier.nanosByThread.getOrDefault(thread.getKey(), 0L));
    }
    return nanos / 1e9;
  }

  /** {@code 1.2 s}, or {@code (unknown)} for NaN: how result lines print a wait. */
  public static String describe(double seconds) {
    return Double.isNaN(seconds) ? "(unknown)" : String.format(Locale.ROOT, "%.1f s", seconds);
  }

  private static Optional<Long> readWait(Path thread) {
    try {
      String[] fields = Files.readString(thread.resolve("schedstat")).trim().split(" ");
      return fields.length >= 2 ? Optional.of(Long.parseLong(fields[1])) : Optional.empty();
    } catch (IOException | NumberFormatException | SecurityException e) {
      return Optional.empty(); // the thread ended meanwhile, or no schedstat
    }
  }
}
