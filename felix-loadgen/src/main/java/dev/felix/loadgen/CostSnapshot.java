package dev.felix.loadgen;

import dev.felix.transport.UdpDatagrams;
import java.util.Locale;

/**
 * The machine figures a run's cost is measured from, taken at its start and read once more at its
 * end ({@link #since}): this JVM's CPU time, its threads' scheduling ({@link RunQueueWait}) and the
 * machine's received UDP datagrams ({@link UdpDatagrams}). Shared by every runner (Felix, NATS, the
 * cache workloads), so both sides of a comparison are measured the same way. Read the end before
 * the run's threads end: an ended thread's figures are lost.
 *
 * @param cpuSeconds this JVM's CPU time so far; NaN where unknown
 * @param threads this JVM's threads' schedstat figures so far
 * @param udpDatagrams datagrams received on this machine so far; -1 where unknown
 */
public record CostSnapshot(double cpuSeconds, RunQueueWait threads, long udpDatagrams) {

  /**
   * What a run cost between two snapshots.
   *
   * @param cpuSeconds this JVM's CPU time; NaN where unknown
   * @param waitSeconds time its threads waited for a CPU; NaN where unknown
   * @param wakeups times its threads were scheduled; -1 where unknown
   * @param datagrams UDP datagrams the machine received; -1 where unknown
   */
  public record Cost(double cpuSeconds, double waitSeconds, long wakeups, long datagrams) {
    /** Wake-ups per message or operation; NaN when unknown or there were none. */
    public double wakeupsPer(long units) {
      return per(wakeups, units);
    }

    /** Datagrams per message or operation; NaN when unknown or there were none. */
    public double datagramsPer(long units) {
      return per(datagrams, units);
    }

    private static double per(long count, long units) {
      return count < 0 || units <= 0 ? Double.NaN : (double) count / units;
    }
  }

  public static CostSnapshot now() {
    return new CostSnapshot(
        ProcessStats.thisProcessCpuSeconds(),
        RunQueueWait.ofThisProcess(),
        UdpDatagrams.receivedSoFar());
  }

  /** The cost from this snapshot to now: one more read of each figure. */
  public Cost since() {
    CostSnapshot end = now();
    return new Cost(
        end.cpuSeconds - cpuSeconds,
        end.threads.secondsAfter(threads),
        end.threads.timesScheduledAfter(threads),
        end.udpDatagrams < 0 || udpDatagrams < 0 ? -1 : end.udpDatagrams - udpDatagrams);
  }

  /**
   * {@code 10.5 thread wake-ups, 5.5 UDP datagrams} for per-message or per-operation counts, each
   * part only when known; empty when neither is. How every result line prints them. Below 1 with
   * three decimals: a throughput run shares each wake-up and packet among dozens of messages (W1:
   * about 0.02 of each), which one decimal would show as 0.
   */
  public static String describeCounts(double wakeups, double datagrams) {
    StringBuilder line = new StringBuilder();
    if (!Double.isNaN(wakeups)) {
      line.append(count(wakeups)).append(" thread wake-ups");
    }
    if (!Double.isNaN(datagrams)) {
      line.append(line.length() > 0 ? ", " : "").append(count(datagrams)).append(" UDP datagrams");
    }
    return line.toString();
  }

  private static String count(double perUnit) {
    return String.format(Locale.ROOT, perUnit < 1 ? "%.3f" : "%.1f", perUnit);
  }
}
