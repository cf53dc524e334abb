package dev.felix.transport.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.quic.Quic;
import io.netty.util.concurrent.DefaultThreadFactory;
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
