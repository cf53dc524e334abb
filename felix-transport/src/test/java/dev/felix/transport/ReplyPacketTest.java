package dev.felix.transport;

import static dev.felix.transport.QuicTests.TIMEOUT_SECONDS;
import static dev.felix.transport.QuicTests.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reply written while its request is handled (a publish's acknowledgement, a cache answer) leaves
 * in the same UDP packet as QUIC's acknowledgement of the request, not in a packet of its own: on a
 * machine where every datagram costs a system call on each side and wakes the receiving event loop,
 * the extra packet was a third of a request's cost.
 */
class ReplyPacketTest {
  @TempDir Path dataDir;

  @Test
  void aReplyWrittenWhileHandlingTheRequestSharesThePacketOfQuicsAck() throws Exception {
    Echo echo = new Echo();
    try (TransportServer server = QuicTests.devServer(dataDir, TransportConfig.defaults(), echo);
        TransportClient client = QuicTests.devClient(dataDir, QuicTests.config().build())) {
      ClientSide side = new ClientSide();
      TransportConnection connection =
          await(client.connect("localhost", server.localAddress().getPort(), side));
      FrameStream control = connection.controlStream().orElseThrow();
      for (int i = 0; i < 50; i++) {
        pingPong(control, side, i); // handshake leftovers and the JIT's first calls
      }

      int roundTrips = 400;
      long before = udpDatagramsReceived();
      for (int i = 0; i < roundTrips; i++) {
        pingPong(control, side, i);
      }
      double perRoundTrip = (double) (udpDatagramsReceived() - before) / roundTrips;
      connection.close(0, "done");
      System.out.printf("reply packets: %.2f UDP datagrams per round trip%n", perRoundTrip);

      // request, reply with QUIC's ACK of the request, the client's ACK of the reply: 3. With the
      // reply in a packet of its own, 4 (the server's ACK-only packet first). Other UDP on the
      // machine can only add, so the bound leaves room for a little of it.
      assertThat(perRoundTrip).isLessThan(3.5);
    }
  }

  private static void pingPong(FrameStream control, ClientSide side, int requestId)
      throws InterruptedException {
    assertThat(control.write(Frames.frame(requestId, 100))).isTrue();
    ByteBuffer reply = side.control.frames.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(reply).as("reply %d", requestId).isNotNull();
    assertThat(Frames.requestId(reply)).isEqualTo(requestId);
  }

  /** {@code InDatagrams} of Linux's {@code /proc/net/snmp}: every loopback datagram, once. */
  private static long udpDatagramsReceived() throws IOException {
    List<String> snmp = Files.readAllLines(Path.of("/proc/net/snmp"));
    for (int i = 0; i + 1 < snmp.size(); i++) {
      if (snmp.get(i).startsWith("Udp:") && snmp.get(i + 1).startsWith("Udp:")) {
        List<String> names = List.of(snmp.get(i).trim().split("\\s+"));
        String[] values = snmp.get(i + 1).trim().split("\\s+");
        return Long.parseLong(values[names.indexOf("InDatagrams")]);
      }
    }
    throw new IllegalStateException("no Udp lines in /proc/net/snmp");
  }
}
