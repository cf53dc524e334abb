package dev.felix.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerAddressTest {
  @Test
  void parsesHostsAndBracketedIpv6() {
    assertThat(ServerAddress.parse("a", "127.0.0.1:5000"))
        .isEqualTo(new ServerAddress("127.0.0.1", 5000));
    assertThat(ServerAddress.parse("a", "broker.example:1"))
        .isEqualTo(new ServerAddress("broker.example", 1));
    assertThat(ServerAddress.parse("a", "[::1]:5000")).isEqualTo(new ServerAddress("::1", 5000));
    assertThat(new ServerAddress("::1", 5000).toString()).isEqualTo("[::1]:5000");
  }

  @Test
  void rejectionsNameTheSetting() {
    for (String bad :
        new String[] {"", "host", "host:", ":5000", "host:0", "host:70000", "::1:5", "h:x"}) {
      assertThatThrownBy(() -> ServerAddress.parse("serverAddress", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("serverAddress");
    }
  }
}
