package dev.felix.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Helpers for tests over real QUIC on loopback, on ephemeral ports. */
final class QuicTests {
  static final long TIMEOUT_SECONDS = 15;

  private QuicTests() {}

  static InetSocketAddress loopback() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  /** Small client config: one event loop is plenty for a test. */
  static TransportConfig.Builder config() {
    return TransportConfig.builder().eventLoopThreads(1);
  }

  static TransportServer devServer(
      Path dataDir, TransportConfig config, ConnectionAcceptor acceptor) {
    return TransportServer.start(
        loopback(), config, ServerTlsConfig.development(dataDir), acceptor);
  }

  static TransportClient devClient(Path dataDir, TransportConfig config) {
    return TransportClient.create(
        config, ClientTlsConfig.caFile(DevelopmentCertificates.caCertificateFile(dataDir)));
  }

  static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** The exception the future failed with (unwrapped). */
  static Throwable failure(CompletableFuture<?> future) throws Exception {
    try {
      future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the future to fail, but it completed");
  }

  /** Waits for a condition (checked every few milliseconds) instead of sleeping a guessed time. */
  static void until(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(TIMEOUT_SECONDS).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("timed out waiting until " + what);
      }
      Thread.sleep(2);
    }
  }

  /** One frame out on the control stream and the echo back. */
  static void roundTrip(TransportConnection connection, ClientSide side, int requestId)
      throws Exception {
    connection.controlStream().orElseThrow().write(Frames.frame(requestId, 64));
    ByteBuffer back = side.control.frames.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(back).as("echo of frame %d", requestId).isNotNull();
    assertThat(Frames.requestId(back)).isEqualTo(requestId);
    assertThat(Frames.intact(back)).isTrue();
  }
}
