package dev.felix.loadgen;

/**
 * The machine figures a run's cost is measured from, taken at its start and compared at its end:
 * this JVM's CPU time, its threads' scheduling ({@link RunQueueWait}) and the machine's received
 * UDP datagrams ({@link UdpDatagrams}). Shared by every runner (Felix, NATS, the cache workloads),
 * so both sides of a comparison are measured the same way. Read the differences before the run's
 * threads end: an ended thread's figures are lost.
 *
 * @param cpuSeconds this JVM's CPU time so far; NaN where unknown
 * @param threads this JVM's threads' schedstat figures so far
 * @param udpDatagrams datagrams received on this machine so far; -1 where unknown
 */
public record CostSnapshot(double cpuSeconds, RunQueueWait threads, long udpDatagrams) {

  public static CostSnapshot now() {
    return new CostSnapshot(
        ProcessStats.thisProcessCpuSeconds(),
        RunQueueWait.ofThisProcess(),
        UdpDatagrams.receivedSoFar());
  }

  /** This JVM's CPU seconds since the snapshot. */
  public double cpuSecondsSince() {
    return ProcessStats.thisProcessCpuSeconds() - cpuSeconds;
  }

  /** Seconds this JVM's threads waited for a CPU since the snapshot; NaN where unknown. */
  public double waitSecondsSince() {
    return threads.secondsSince();
  }

  /** Times this JVM's threads were scheduled since the snapshot; -1 where unknown. */
  public long wakeupsSince() {
    return RunQueueWait.ofThisProcess().timesScheduledAfter(threads);
  }

  /** UDP datagrams received on this machine since the snapshot; -1 where unknown. */
  public long datagramsSince() {
    long now = UdpDatagrams.receivedSoFar();
    return now < 0 || udpDatagrams < 0 ? -1 : now - udpDatagrams;
  }

  /** {@code count / units}, or NaN when the count is unknown (negative) or there are no units. */
  public static double per(long count, long units) {
    return count < 0 || units <= 0 ? Double.NaN : (double) count / units;
  }
}
