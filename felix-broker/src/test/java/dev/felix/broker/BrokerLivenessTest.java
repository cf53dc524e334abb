package dev.felix.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the server's /live asks the broker: do its own scheduler threads run tasks? */
class BrokerLivenessTest {
  private static final Duration WITHIN = Duration.ofMillis(500);

  @Test
  void aStartedBrokersSchedulerIsResponsiveUntilItCloses() {
    Broker broker = Broker.start(BrokerConfig.defaults());
    assertThat(broker.schedulerResponsive(WITHIN)).isTrue();
    broker.close();
    assertThat(broker.schedulerResponsive(WITHIN)).isFalse();
  }

  @Test
  void aBrokerOnTheCallersSchedulerLeavesItsHealthToTheCaller() {
    try (BrokerFixture f = new BrokerFixture()) {
      assertThat(f.broker.schedulerResponsive(WITHIN)).isTrue();
    }
  }
}
