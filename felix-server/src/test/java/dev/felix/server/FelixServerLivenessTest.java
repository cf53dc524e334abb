package dev.felix.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@code /live} combines its two checks (each is tested on its own: ServerSocketsTest,
 * ExecutorSchedulerTest, BrokerLivenessTest): event loops first, the broker's scheduler only when
 * every loop answered, both within {@link FelixServer#LIVENESS_WAIT}, and a message that says which
 * failed.
 */
class FelixServerLivenessTest {
  private final List<String> asked = new ArrayList<>();

  private String check(int stuckLoops, boolean schedulerResponsive) {
    return FelixServer.livenessProblem(
        within -> {
          asked.add("loops " + within.toMillis());
          return stuckLoops;
        },
        within -> {
          asked.add("scheduler " + within.toMillis());
          return schedulerResponsive;
        });
  }

  @Test
  void liveWhenTheLoopsAndThenTheSchedulerAnswer() {
    assertThat(check(0, true)).isNull();
    assertThat(asked).containsExactly("loops 1000", "scheduler 1000");
    assertThat(FelixServer.LIVENESS_WAIT).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void stuckLoopsAreTheProblemAndTheSchedulerIsNotAskedToo() {
    // The probe times out after 2 s: asking the scheduler as well could take a second bound.
    assertThat(check(2, false)).isEqualTo("2 QUIC event loop(s) did not run a task within 1000 ms");
    assertThat(asked).containsExactly("loops 1000");
  }

  @Test
  void aSchedulerThatFinishesNothingIsTheProblemWhenTheLoopsAnswer() {
    assertThat(check(0, false)).isEqualTo("the broker's scheduler finished no task within 1000 ms");
    assertThat(asked).containsExactly("loops 1000", "scheduler 1000");
  }
}
