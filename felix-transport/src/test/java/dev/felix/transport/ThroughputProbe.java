package dev.felix.transport;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** Manual probe: {@code mvn -pl felix-transport test -Dtest=ThroughputProbe -Dprobe=true}. */
@EnabledIfSystemProperty(named = "probe", matches = "true")
class ThroughputProbe {
  @TempDir Path dataDir;

  @Test
  void oneWay() throws Exception {
    int count = Integer.getInteger("frames", 200_000);
    int payload = Integer.getInteger("payload", 100);
    AtomicLong received = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    ConnectionAcceptor acceptor =
        connection ->
            stream ->
                (s, frame) -> {
                  if (received.incrementAndGet() == count) {
                    done.countDown();
                  }
                };
    try (TransportServer server =
            QuicTests.devServer(dataDir, TransportConfig.defaults(), acceptor);
        TransportClient client = QuicTests.devClient(dataDir, QuicTests.config().build())) {
      TransportConnection connection =
          QuicTests.await(
              client.connect("localhost", server.localAddress().getPort(), new ClientSide()));
      FrameStream control = connection.controlStream().orElseThrow();
      ByteBuffer frame = Frames.frame(1, payload);
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        while (!control.isWritable()) {
          java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }
        control.write(frame);
      }
      done.await(60, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuNanosPerFrame = (processCpuNanos() - cpuStart) / (double) received.get();
      System.out.printf(
          "one-way: %d of %d frames of %d B in %.2f s: %.0f frames/s, %.1f MB/s; CPU of both"
              + " sides %.2f us/frame, i.e. %.0f frames/s or %.0f MB/s per core%n",
          received.get(),
          count,
          payload + 16,
          seconds,
          received.get() / seconds,
          received.get() * (payload + 16) / seconds / 1e6,
          cpuNanosPerFrame / 1000,
          1e9 / cpuNanosPerFrame,
          1e9 / cpuNanosPerFrame * (payload + 16) / 1e6);
    }
  }

  @Test
  void pingPong() throws Exception {
    int count = Integer.getInteger("frames", 2000);
    try (TransportServer server =
            QuicTests.devServer(dataDir, TransportConfig.defaults(), new Echo());
        TransportClient client = QuicTests.devClient(dataDir, QuicTests.config().build())) {
      ClientSide side = new ClientSide();
      TransportConnection connection =
          QuicTests.await(client.connect("localhost", server.localAddress().getPort(), side));
      FrameStream control = connection.controlStream().orElseThrow();
      long[] micros = new long[count];
      for (int i = 0; i < count; i++) {
        long t0 = System.nanoTime();
        control.write(Frames.frame(i, 64));
        side.control.frames.poll(10, TimeUnit.SECONDS);
        micros[i] = (System.nanoTime() - t0) / 1000;
      }
      java.util.Arrays.sort(micros);
      System.out.printf(
          "measured ping-pong us: p50 %d p99 %d p999 %d max %d%n",
          micros[count / 2],
          micros[count * 99 / 100],
          micros[count * 999 / 1000],
          micros[count - 1]);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
