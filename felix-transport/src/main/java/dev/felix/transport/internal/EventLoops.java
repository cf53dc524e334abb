package dev.felix.transport.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.quic.Quic;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Event-loop groups for the endpoints: plain NIO, because UDP GSO through epoll raised loss to
 * about 20% here while the NIO datagram channel was best (QUIC-NOTES trap 6). Daemon threads, so
 * that a forgotten client does not keep a JVM alive.
 */
final class EventLoops {
  private EventLoops() {}

  static EventLoopGroup nio(int threads, String name) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
  }

  /** Shuts the group down; waits (bounded) unless called from one of its own threads. */
  static void shutdown(EventLoopGroup group) {
    var termination = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    boolean ownThread = false;
    for (var executor : group) {
      ownThread |= executor.inEventLoop();
    }
    if (!ownThread) {
      termination.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  /**
   * How many loops of {@code group} did not run a no-op task within {@code within}: a loop that is
   * stuck (a handler that blocks or spins) or whose thread is gone. The tasks go to every loop
   * first and are awaited together, so the whole check takes at most {@code within}.
   */
  static int unresponsive(EventLoopGroup group, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    List<Future<?>> pings = new ArrayList<>();
    int unresponsive = 0;
    for (EventExecutor loop : group) {
      try {
        pings.add(loop.submit(() -> {}));
      } catch (RejectedExecutionException e) {
        unresponsive++; // shut down, or its thread died
      }
    }
    for (Future<?> ping : pings) {
      long left = deadline - System.nanoTime();
      if (!ping.awaitUninterruptibly(Math.max(0, left), TimeUnit.NANOSECONDS)) {
        unresponsive++;
      }
    }
    return unresponsive;
  }

  /** Fails with a clear message when the quiche native library cannot load on this platform. */
  static void requireQuic() {
    if (!Quic.isAvailable()) {
      throw new IllegalStateException(
          "QUIC is not available: the quiche native library (netty-codec-native-quic,"
              + " linux-x86_64) did not load",
          Quic.unavailabilityCause());
    }
  }
}
