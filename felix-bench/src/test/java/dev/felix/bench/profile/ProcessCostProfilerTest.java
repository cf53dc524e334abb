package dev.felix.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.IterationResultMetaData;
import org.openjdk.jmh.results.Result;

/** The profiler divides the iteration's process CPU time and datagrams by its operations. */
class ProcessCostProfilerTest {
  private static final int OPERATIONS = 100;

  @Test
  void reportsCpuTimeAndDatagramsPerOperation() throws Exception {
    ProcessCostProfiler profiler = new ProcessCostProfiler();
    profiler.beforeIteration(null, null);
    long spent = burnCpuForMillis(50);
    sendLoopbackDatagrams(2 * OPERATIONS);
    List<? extends Result<?>> results =
        profiler.afterIteration(
            null,
            null,
            new IterationResult(null, null, new IterationResultMetaData(0, OPERATIONS)));

    Map<String, Result<?>> byLabel =
        results.stream().collect(Collectors.toMap(Result::getLabel, Function.identity()));
    assertThat(byLabel).containsOnlyKeys("process.cpu", "udp.datagrams");
    // at least the 50 ms this thread burned, over 100 operations: >= 500 us each
    assertThat(byLabel.get("process.cpu").getScore()).isGreaterThanOrEqualTo(500.0);
    assertThat(byLabel.get("process.cpu").getScoreUnit()).isEqualTo("us/op");
    // other UDP traffic on the machine can only add to the count
    assertThat(byLabel.get("udp.datagrams").getScore()).isGreaterThanOrEqualTo(2.0);
    assertThat(spent).isPositive();
  }

  /**
   * Spins until this thread has used {@code millis} of CPU (not wall) time, so a busy machine
   * cannot make it use less; returns a value so that the loop is not elided.
   */
  private static long burnCpuForMillis(long millis) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long end = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
    long sum = 0;
    while (threads.getCurrentThreadCpuTime() < end) {
      sum += System.nanoTime() & 1;
    }
    return sum + 1;
  }

  private static void sendLoopbackDatagrams(int count) throws Exception {
    try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket sender = new DatagramSocket()) {
      for (int i = 0; i < count; i++) {
        sender.send(
            new DatagramPacket(
                new byte[8], 8, InetAddress.getLoopbackAddress(), receiver.getLocalPort()));
        receiver.receive(new DatagramPacket(new byte[8], 8));
      }
    }
  }
}
