package dev.felix.loadgen;

/**
 * The machine figures a run's cost is measured from, taken at its start and compared at its end:
 * this JVM's CPU time, its threads' scheduling ({@link RunQueueWait}) and the machine's received
 * UDP datagrams ({@link UdpDatagrams}). Shared by the Felix and the peer runners, so both sides of
 * a comparison are measured the same way.
 *
 * @param cpuSeconds this JVM's CPU time so far; NaN where unknown
 * @param threads this JVM's threads' schedstat figures so far
 * @param udpDatagrams datagrams received on this machine so far; -1 where unknown
 */
record CostSnapshot(double cpuSeconds, RunQueueWait threads, long udpDatagrams) {

  static CostSnapshot now() {
    return new CostSnapshot(
        ProcessStats.thisProcessCpuSeconds(),
        RunQueueWait.ofThisProcess(),
        UdpDatagrams.receivedSoFar());
  }

  /** Times this JVM's threads were scheduled since this snapshot, per message; NaN if unknown. */
  double wakeupsPerMessageSince(long messages) {
    long times = RunQueueWait.ofThisProcess().timesScheduledAfter(threads);
    return times < 0 || messages <= 0 ? Double.NaN : (double) times / messages;
  }

  /** UDP datagrams received on this machine since this snapshot, per message; NaN if unknown. */
  double datagramsPerMessageSince(long messages) {
    long now = UdpDatagrams.receivedSoFar();
    return now < 0 || udpDatagrams < 0 || messages <= 0
        ? Double.NaN
        : (double) (now - udpDatagrams) / messages;
  }
}
