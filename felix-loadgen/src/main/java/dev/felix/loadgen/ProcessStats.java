package dev.felix.loadgen;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU time and resident memory of another process on this machine, from {@code /proc} (Linux), so
 * that a peer server's cost (nats-server, redis-server) is reported next to Felix's in the same
 * run. Only meaningful for a peer started on this machine (scripts/bench-peers.sh passes its pid).
 *
 * @param cpuSeconds user + system CPU time so far
 * @param rssBytes resident set size now
 * @param peakRssBytes highest resident set size so far ({@code VmHWM})
 * @param runQueue how long its threads have waited for a CPU so far
 */
public record ProcessStats(
    double cpuSeconds, long rssBytes, long peakRssBytes, RunQueueWait runQueue) {
  /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on every Linux this runs on. */
  private static final double TICKS_PER_SECOND = 100.0;

  /** This JVM's CPU time so far (user + system, all threads) in seconds; NaN where unknown. */
  public static double thisProcessCpuSeconds() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  /** {@code pid}'s CPU time so far in seconds; NaN when it cannot be read (gone, not Linux). */
  public static double cpuSecondsOf(long pid) {
    try {
      return cpuSecondsFromStat(Path.of("/proc", Long.toString(pid)));
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  public static ProcessStats of(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    double cpuSeconds = cpuSecondsFromStat(proc);
    long rss = -1;
    long peak = -1;
    for (String line : Files.readAllLines(proc.resolve("status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = kilobytes(line) * 1024;
      } else if (line.startsWith("VmHWM:")) {
        peak = kilobytes(line) * 1024;
      }
    }
    return new ProcessStats(cpuSeconds, rss, peak, RunQueueWait.of(pid));
  }

  /**
   * {@code name process: cpu 1.2 s, waited 0.4 s for a CPU, rss 12 MiB (peak 14 MiB)} for the CPU
   * spent and waited for since {@code before}.
   */
  public String since(ProcessStats before, String name) {
    double waited = runQueue.secondsAfter(before.runQueue);
    return String.format(
        Locale.ROOT,
        "%s process: cpu %.1f s, waited %s for a CPU, rss %d MiB (peak %d MiB)",
        name,
        cpuSeconds - before.cpuSeconds,
        RunQueueWait.describe(waited),
        rssBytes >> 20,
        peakRssBytes >> 20);
  }

  /** User + system CPU seconds from {@code <proc>/stat}. */
  private static double cpuSecondsFromStat(Path proc) throws IOException {
    String stat = Files.readString(proc.resolve("stat"));
    // The command name (field 2) is in parentheses and may hold spaces: count from its end.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // After the name: state is field 3, utime field 14 and stime field 15 of the whole line.
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks / TICKS_PER_SECOND;
  }

  private static long kilobytes(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }
}
