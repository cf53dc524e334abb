package dev.felix.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * UDP datagrams this machine's sockets received so far: {@code InDatagrams} of Linux's {@code
 * /proc/net/snmp}. Over loopback every datagram Felix's QUIC sends is received once, so the
 * difference over a run, per message, is the number of packets a message costs (its own, the
 * acknowledgement's and QUIC's ACK-only packets). The counter is the whole machine's (or network
 * namespace's): other UDP traffic meanwhile counts too.
 */
public final class UdpDatagrams {
  private static final Path SNMP = Path.of("/proc/net/snmp");

  private UdpDatagrams() {}

  /** The counter now; -1 where it cannot be read (not Linux). */
  public static long receivedSoFar() {
    try {
      return inDatagrams(Files.readAllLines(SNMP));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * {@code InDatagrams} from the lines of {@code /proc/net/snmp}: a {@code Udp:} line of names
   * followed by a {@code Udp:} line of values; -1 when absent.
   */
  public static long inDatagrams(List<String> snmp) {
    for (int i = 0; i + 1 < snmp.size(); i++) {
      String names = snmp.get(i);
      String values = snmp.get(i + 1);
      if (names.startsWith("Udp:") && values.startsWith("Udp:")) {
        List<String> nameList = List.of(names.trim().split("\\s+"));
        String[] valueList = values.trim().split("\\s+");
        int column = nameList.indexOf("InDatagrams");
        return column < 0 || column >= valueList.length ? -1 : Long.parseLong(valueList[column]);
      }
    }
    return -1;
  }
}
