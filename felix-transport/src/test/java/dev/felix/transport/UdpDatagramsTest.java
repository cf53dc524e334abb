package dev.felix.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpDatagramsTest {
  @Test
  void readsInDatagramsFromTheUdpLines() {
    List<String> snmp =
        List.of(
            "Ip: Forwarding DefaultTTL",
            "Ip: 1 64",
            "Udp: InDatagrams NoPorts InErrors OutDatagrams",
            "Udp: 228652317 64246 153020 228876217",
            "UdpLite: InDatagrams NoPorts",
            "UdpLite: 0 0");
    assertThat(UdpDatagrams.inDatagrams(snmp)).isEqualTo(228_652_317L);
  }

  @Test
  void withoutUdpLinesTheCounterIsUnknown() {
    assertThat(UdpDatagrams.inDatagrams(List.of("Ip: Forwarding", "Ip: 1"))).isEqualTo(-1);
  }

  @Test
  void countsDatagramsReceivedOverLoopback() throws Exception {
    long before = UdpDatagrams.receivedSoFar();
    assertThat(before).as("Linux /proc/net/snmp, as on every machine this runs on").isNotNegative();
    try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket sender = new DatagramSocket()) {
      byte[] buffer = new byte[16];
      for (int i = 0; i < 20; i++) {
        sender.send(
            new DatagramPacket(
                buffer, buffer.length, InetAddress.getLoopbackAddress(), receiver.getLocalPort()));
        receiver.receive(new DatagramPacket(new byte[16], 16));
      }
    }
    // other UDP traffic on the machine may add to it, never take away
    assertThat(UdpDatagrams.receivedSoFar() - before).isGreaterThanOrEqualTo(20);
  }
}
