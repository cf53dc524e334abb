package dev.felix.transport;

import static dev.felix.transport.QuicTests.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Datagram sizes on loopback, observed by a UDP relay between client and server: loopback-sized
 * datagrams both ways when the server is bound to a loopback address or to the wildcard address and
 * reached on loopback, network-sized ones from a wildcard-bound server reached on a network
 * address, and never above the configured sizes. Every transfer must also arrive intact, which a
 * datagram truncated by a too-small read buffer would prevent.
 */
class UdpPayloadSizeTest {
  private static final int FRAMES = 64;
  private static final int FRAME_PAYLOAD_BYTES = 32 * 1024;

  @TempDir static Path dataDir;

  @BeforeAll
  static void certificates() {
    DevelopmentCertificates.ensure(dataDir);
  }

  @Test
  void loopbackBoundServerAndLoopbackClientUseLoopbackSizedDatagramsBothWays() throws Exception {
    Relay relay = transfer(QuicTests.loopback(), TransportConfig.defaults());
    int loopbackBytes = TransportConfig.DEFAULT_LOOPBACK_UDP_PAYLOAD_BYTES;
    assertThat(relay.largestToServer.get())
        .isGreaterThan(TransportConfig.DEFAULT_MAX_UDP_PAYLOAD_BYTES)
        .isLessThanOrEqualTo(loopbackBytes);
    assertThat(relay.largestToClient.get())
        .isGreaterThan(TransportConfig.DEFAULT_MAX_UDP_PAYLOAD_BYTES)
        .isLessThanOrEqualTo(loopbackBytes);
  }

  @Test
  void wildcardBoundServerServesLocalClientsOnLoopbackSizedDatagramsBothWays() throws Exception {
    Relay relay =
        transfer(
            new InetSocketAddress("0.0.0.0", 0),
            InetAddress.getLoopbackAddress(),
            TransportConfig.defaults());
    assertThat(relay.largestToServer.get())
        .isGreaterThan(TransportConfig.DEFAULT_MAX_UDP_PAYLOAD_BYTES);
    assertThat(relay.largestToClient.get())
        .isGreaterThan(TransportConfig.DEFAULT_MAX_UDP_PAYLOAD_BYTES);
  }

  @Test
  void wildcardBoundServerSendsNetworkSizedDatagramsToOtherAddresses() throws Exception {
    InetAddress hostAddress = nonLoopbackAddress();
    assumeTrue(hostAddress != null, "this machine has no non-loopback IPv4 address");
    // The relay reaches the server on the host's own network address: a remote peer's path as
    // far as the server can tell, though the kernel carries it over loopback.
    Relay relay =
        transfer(new InetSocketAddress("0.0.0.0", 0), hostAddress, TransportConfig.defaults());
    assertThat(relay.largestToServer.get())
        .isGreaterThan(TransportConfig.DEFAULT_MAX_UDP_PAYLOAD_BYTES);
    assertThat(relay.largestToClient.get())
        .isLessThanOrEqualTo(TransportConfig.DEFAULT_MAX_UDP_PAYLOAD_BYTES);
  }

  private static InetAddress nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address) {
          return address;
        }
      }
    }
    return null;
  }

  @Test
  void configuredLoopbackSizeBoundsEveryDatagram() throws Exception {
    TransportConfig small = TransportConfig.builder().loopbackUdpPayloadBytes(1300).build();
    Relay relay = transfer(QuicTests.loopback(), small);
    assertThat(relay.largestToServer.get()).isBetween(1, 1300);
    assertThat(relay.largestToClient.get()).isBetween(1, 1300);
  }

  private static Relay transfer(InetSocketAddress bind, TransportConfig config) throws Exception {
    return transfer(bind, InetAddress.getLoopbackAddress(), config);
  }

  /**
   * Echoes {@link #FRAMES} frames through a relay in front of a server bound to {@code bind}, which
   * the relay reaches at {@code serverAddress}.
   */
  private static Relay transfer(
      InetSocketAddress bind, InetAddress serverAddress, TransportConfig config) throws Exception {
    try (TransportServer server =
            TransportServer.start(bind, config, ServerTlsConfig.development(dataDir), new Echo());
        Relay relay =
            new Relay(new InetSocketAddress(serverAddress, server.localAddress().getPort()));
        TransportClient client =
            QuicTests.devClient(dataDir, config.toBuilder().eventLoopThreads(1).build())) {
      ClientSide side = new ClientSide();
      TransportConnection connection =
          await(client.connect("127.0.0.1", relay.address().getPort(), side));
      FrameStream control = connection.controlStream().orElseThrow();
      for (int i = 1; i <= FRAMES; i++) {
        control.write(Frames.frame(i, FRAME_PAYLOAD_BYTES));
      }
      for (int i = 1; i <= FRAMES; i++) {
        ByteBuffer back = side.control.frames.poll(QuicTests.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(back).as("echo of frame %d", i).isNotNull();
        assertThat(Frames.requestId(back)).isEqualTo(i);
        assertThat(Frames.intact(back)).isTrue();
      }
      return relay;
    }
  }

  /**
   * Forwards datagrams between one client and the server on a thread of its own, recording the
   * largest payload each way.
   */
  private static final class Relay implements AutoCloseable {
    final AtomicInteger largestToServer = new AtomicInteger();
    final AtomicInteger largestToClient = new AtomicInteger();
    private final DatagramChannel channel;
    private final InetSocketAddress server;
    private final Thread thread;
    private volatile SocketAddress client;

    Relay(InetSocketAddress server) throws IOException {
      this.server = server;
      this.channel =
          DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      this.thread = new Thread(this::forward, "udp-relay");
      thread.setDaemon(true);
      thread.start();
    }

    InetSocketAddress address() throws IOException {
      return (InetSocketAddress) channel.getLocalAddress();
    }

    private void forward() {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      try {
        while (true) {
          buffer.clear();
          SocketAddress from = channel.receive(buffer);
          buffer.flip();
          int size = buffer.remaining();
          // By port: a wildcard-bound server answers a relay on 127.0.0.1 from 127.0.0.1, whatever
          // address the relay sent to.
          if (((InetSocketAddress) from).getPort() == server.getPort()) {
            largestToClient.accumulateAndGet(size, Math::max);
            if (client != null) {
              channel.send(buffer, client);
            }
          } else {
            client = from;
            largestToServer.accumulateAndGet(size, Math::max);
            channel.send(buffer, server);
          }
        }
      } catch (IOException e) {
        // closed by close(): the test is over
      }
    }

    @Override
    public void close() throws Exception {
      channel.close();
      thread.join(TimeUnit.SECONDS.toMillis(5));
    }
  }
}
