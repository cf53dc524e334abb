package dev.felix.loadgen;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * How long a process's threads were ready to run but waited for a CPU, and how often they were put
 * on one: the second and third fields of Linux's {@code /proc/<pid>/task/<tid>/schedstat}
 * (run-queue delay in nanoseconds, times scheduled), summed over threads.
 *
 * <p>Why a benchmark reports it: on a machine the broker and the load shares (2 cores here), a
 * latency tail often comes from threads queued behind other threads, not from the code they run.
 * Waiting as long as running means every hand-off between threads (publisher, event loop, broker,
 * subscriber) pays a queueing delay, and tails follow. The figure says whether a run measured Felix
 * or the machine's contention. Times scheduled counts those hand-offs: a thread that sleeps and is
 * woken is scheduled once more, so per message it is the number of wake-ups a message costs, a
 * count that, unlike a latency percentile, hardly moves with the machine's noise.
 *
 * <p>A snapshot holds each thread's figures; the differences count threads alive at both ends by
 * their difference and threads started since by their whole figure. A thread that ended in between
 * is lost, so take them before closing the run's connections.
 *
 * @param pid the process
 * @param byThread the figures so far per thread id; empty when unavailable
 */
public record RunQueueWait(long pid, Map<String, ThreadFigures> byThread) {

  /** One thread's schedstat figures so far. */
  public record ThreadFigures(long waitNanos, long timesScheduled) {}

  /** The figures of {@code pid}'s threads now; empty where the kernel does not provide them. */
  public static RunQueueWait of(long pid) {
    Map<String, ThreadFigures> figures = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        read(thread).ifPresent(f -> figures.put(thread.getFileName().toString(), f));
      }
    } catch (IOException | SecurityException e) {
      return new RunQueueWait(pid, Map.of());
    }
    return new RunQueueWait(pid, Map.copyOf(figures));
  }

  /** This JVM's threads now. */
  public static RunQueueWait ofThisProcess() {
    return of(ProcessHandle.current().pid());
  }

  /** True when the kernel reported at least one thread (Linux with schedstat). */
  public boolean available() {
    return !byThread.isEmpty();
  }

  /** Seconds waited between {@code earlier} and this snapshot (same process); NaN if unknown. */
  public double secondsAfter(RunQueueWait earlier) {
    if (!available() || !earlier.available()) {
      return Double.NaN;
    }
    return sumSince(earlier, ThreadFigures::waitNanos) / 1e9;
  }

  /**
   * Times the process's threads were scheduled between {@code earlier} and this snapshot; -1 if
   * unknown.
   */
  public long timesScheduledAfter(RunQueueWait earlier) {
    if (!available() || !earlier.available()) {
      return -1;
    }
    return sumSince(earlier, ThreadFigures::timesScheduled);
  }

  private long sumSince(RunQueueWait earlier, ToLongFunction<ThreadFigures> field) {
    long sum = 0;
    for (Map.Entry<String, ThreadFigures> thread : byThread.entrySet()) {
      ThreadFigures before = earlier.byThread.get(thread.getKey());
      long now = field.applyAsLong(thread.getValue());
      sum += Math.max(0, now - (before == null ? 0 : field.applyAsLong(before)));
    }
    return sum;
  }

  /** {@code 1.2 s}, or {@code (unknown)} for NaN: how result lines print a wait. */
  public static String describe(double seconds) {
    return Double.isNaN(seconds) ? "(unknown)" : String.format(Locale.ROOT, "%.1f s", seconds);
  }

  private static Optional<ThreadFigures> read(Path thread) {
    try {
      String[] fields = Files.readString(thread.resolve("schedstat")).trim().split(" ");
      return fields.length >= 3
          ? Optional.of(new ThreadFigures(Long.parseLong(fields[1]), Long.parseLong(fields[2])))
          : Optional.empty();
    } catch (IOException | NumberFormatException | SecurityException e) {
      return Optional.empty(); // the thread ended meanwhile, or no schedstat
    }
  }
}
