package dev.felix.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;

/**
 * A UDP relay on loopback between QUIC clients and a server, with a switch that silently drops
 * every datagram in both directions: the network "goes away" for the connections through it, the
 * way a cable pull or a dead NAT does. QUIC then notices only through its idle timeout, and a
 * client that reconnects after the switch is back on gets a new path (a new relay socket).
 *
 * <p>Threading: one thread owns the selector and every channel; {@link #drop} is a volatile switch.
 */
final class UdpRelay implements AutoCloseable {
  private static final int BUFFER_BYTES = 4 * 1024 * 1024;

  private final InetSocketAddress server;
  private final DatagramChannel front;
  private final Selector selector;
  private final Thread thread;
  // Relay thread only: one upstream socket per client address.
  private final Map<SocketAddress, DatagramChannel> upstreams = new HashMap<>();
  private volatile boolean dropping;
  private volatile boolean droppingFromServer;

  private UdpRelay(InetSocketAddress server) throws IOException {
    this.server = server;
    this.selector = Selector.open();
    this.front = open();
    front.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    front.register(selector, SelectionKey.OP_READ);
    this.thread = new Thread(this::run, "udp-relay");
    thread.setDaemon(true);
  }

  /** Starts relaying datagrams from a fresh loopback port to {@code server}. */
  static UdpRelay start(InetSocketAddress server) {
    try {
      UdpRelay relay = new UdpRelay(server);
      relay.thread.start();
      return relay;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code 127.0.0.1:port} clients connect to. */
  String address() {
    try {
      return "127.0.0.1:" + ((InetSocketAddress) front.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** While true, every datagram in either direction is dropped. */
  void drop(boolean value) {
    dropping = value;
  }

  /**
   * While true, datagrams from the server to the client are dropped: what the client sends still
   * arrives, but it hears nothing back (acknowledgements lost with a dying connection).
   */
  void dropFromServer(boolean value) {
    droppingFromServer = value;
  }

  private static DatagramChannel open() throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    channel.configureBlocking(false);
    // The 208 KiB default loses packets on loopback under load (QUIC-NOTES trap 3).
    channel.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER_BYTES);
    channel.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER_BYTES);
    return channel;
  }

  private void run() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
    try {
      while (selector.isOpen()) {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isValid() && key.isReadable()) {
            relay((DatagramChannel) key.channel(), (SocketAddress) key.attachment(), buffer);
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (ClosedSelectorException e) {
      // closed: done
    } catch (IOException e) {
      if (selector.isOpen()) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Moves every waiting datagram of {@code channel} on (or drops it). */
  private void relay(DatagramChannel channel, SocketAddress client, ByteBuffer buffer)
      throws IOException {
    while (true) {
      buffer.clear();
      SocketAddress from = channel.receive(buffer);
      if (from == null) {
        return;
      }
      buffer.flip();
      if (dropping || (droppingFromServer && channel != front)) {
        continue;
      }
      if (channel == front) {
        DatagramChannel upstream = upstreams.get(from);
        if (upstream == null) {
          upstream = open();
          upstream.connect(server);
          upstream.register(selector, SelectionKey.OP_READ, from);
          upstreams.put(from, upstream);
        }
        upstream.write(buffer);
      } else {
        front.send(buffer, client);
      }
    }
  }

  @Override
  public void close() throws IOException {
    selector.close();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    front.close();
    for (DatagramChannel upstream : upstreams.values()) {
      upstream.close();
    }
  }
}
