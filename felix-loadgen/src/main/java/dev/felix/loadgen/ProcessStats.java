package dev.felix.loadgen;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  /** This JVM's resident set size now in bytes; -1 where unknown. */
  public static long thisProcessRssBytes() {
    try {
      return statusBytes(status(Path.of("/proc/self")), "VmRSS:");
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  public static ProcessStats of(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    List<String> status = status(proc);
    return new ProcessStats(
        cpuSecondsFromStat(proc),
        statusBytes(status, "VmRSS:"),
        statusBytes(status, "VmHWM:"),
        RunQueueWait.of(pid));
  }

  /**
   * {@code name process: cpu 1.2 s, waited 0.4 s for a CPU, 5,123 wake-ups, rss 12 MiB (peak 14
   * MiB)} for the CPU spent, waited for and the times its threads were scheduled since {@code
   * before} (the wake-ups only where the kernel reports them).
   */
  public String since(ProcessStats before, String name) {
    double waited = runQueue.secondsAfter(before.runQueue);
    long wakeups = runQueue.timesScheduledAfter(before.runQueue);
    return String.format(
        Locale.ROOT,
        "%s process: cpu %.1f s, waited %s for a CPU, %srss %d MiB (peak %d MiB)",
        name,
        cpuSeconds - before.cpuSeconds,
        RunQueueWait.describe(waited),
        wakeups < 0 ? "" : String.format(Locale.ROOT, "%,d wake-ups, ", wakeups),
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

  private static List<String> status(Path proc) throws IOException {
    return Files.readAllLines(proc.resolve("status"));
  }

  /** A {@code <proc>/status} size field ({@code VmRSS: 1234 kB}) in bytes; -1 if absent. */
  private static long statusBytes(List<String> status, String field) {
    for (String line : status) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }
}
