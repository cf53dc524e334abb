package dev.felix.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.wire.message.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestTableTest {
  private final RequestTable table = new RequestTable();

  private static final class Probe implements PendingRequest {
    final long deadline;
    final List<FelixException> failures = new ArrayList<>();

    Probe(long deadline) {
      this.deadline = deadline;
    }

    @Override
    public long deadlineNanos() {
      return deadline;
    }

    @Override
    public String describe() {
      return "probe";
    }

    @Override
    public void onReply(Session session, Message reply) {}

    @Override
    public void onFailure(FelixException error) {
      failures.add(error);
    }
  }

  @Test
  void idsAreNonZeroAndUniqueAmongWaitingRequests() {
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      int id = table.register(new Probe(Long.MAX_VALUE));
      assertThat(id).isPositive();
      assertThat(ids.add(id)).isTrue();
    }
    assertThat(table.nextId()).isNotIn(ids);
  }

  @Test
  void claimIsExactlyOnce() {
    Probe probe = new Probe(Long.MAX_VALUE);
    int id = table.register(probe);
    assertThat(table.claim(id)).isSameAs(probe);
    assertThat(table.claim(id)).isNull();
  }

  @Test
  void sweepFailsOnlyExpiredRequestsWithTimeout() {
    long now = System.nanoTime();
    Probe expired = new Probe(now - 1);
    Probe alive = new Probe(now + 1_000_000_000L);
    table.register(expired);
    table.register(alive);
    table.sweep(now, 1_000_000);
    assertThat(expired.failures)
        .singleElement()
        .extracting(FelixException::code)
        .isEqualTo(ErrorCode.TIMEOUT);
    assertThat(alive.failures).isEmpty();
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void onEmptyRunsOnceTheLastRequestIsAnswered() {
    int id = table.register(new Probe(Long.MAX_VALUE));
    List<String> ran = new ArrayList<>();
    table.onEmpty(() -> ran.add("empty"));
    assertThat(ran).isEmpty();
    table.claim(id);
    assertThat(ran).containsExactly("empty");
  }
}
