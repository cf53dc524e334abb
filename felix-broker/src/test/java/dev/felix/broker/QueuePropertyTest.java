package dev.felix.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.wire.message.Header;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever publishes, acks, nacks (with and without delay), credits, lease expiries and member
 * crashes happen in whatever order, for every shard of a consumer group:
 *
 * <ul>
 *   <li>the committed position never regresses;
 *   <li>it never passes a record that no member acked and that was not dead-lettered;
 *   <li>once the members ack everything they receive, every record is acked or dead-lettered and
 *       the position reaches the end of the log (nothing lost, nothing stuck).
 * </ul>
 */
class QueuePropertyTest {
  private static final StreamRef STREAM = StreamRef.of("prop");
  private static final StreamRef DEAD = StreamRef.of("prop.dlq");
  private static final String GROUP = "g";

  /** One step: {@code kind} picks the action, {@code a} and {@code b} shape it. */
  record Step(int kind, int a, int b) {}

  @Provide
  Arbitrary<List<Step>> scenarios() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 20))
            .as(Step::new);
    return step.list().ofMinSize(5).ofMaxSize(80);
  }

  @Property(tries = 200)
  void thePositionNeverRegressesAndNeverPassesAnUnfinishedRecord(
      @ForAll("scenarios") List<Step> steps,
      @ForAll @IntRange(min = 1, max = 3) int shards,
      @ForAll @IntRange(min = 1, max = 6) int window,
      @ForAll @IntRange(min = 1, max = 4) int maxDeliveries) {
    QueueConfig queues =
        QueueConfig.DEFAULTS
            .withVisibilityTimeoutMs(1_000)
            .withMaxUnackedPerShard(window)
            .withMaxDeliveries(maxDeliveries);
    BrokerConfig config =
        BrokerConfig.builder()
            .defaultStream(StreamConfig.DEFAULTS.withShards(shards))
            .queues(queues)
            .build();
    try (BrokerFixture fixture = new BrokerFixture(config)) {
      new Scenario(fixture, shards).run(steps);
    }
  }

  /** Drives one broker and checks the invariants after every step. */
  private static final class Scenario {
    private final BrokerFixture f;
    private final int shards;
    private final TestSink dead;
    private final List<TestSink> members = new ArrayList<>();
    private final List<Integer> handled = new ArrayList<>();
    private final Set<String> acked = new HashSet<>();
    private final long[] committed;
    private int published;

    Scenario(BrokerFixture fixture, int shards) {
      this.f = fixture;
      this.shards = shards;
      this.committed = new long[shards];
      this.dead = f.subscribe(DEAD, StartPosition.EARLIEST);
      for (int i = 0; i < 3; i++) {
        join(1 + i);
      }
    }

    private void join(int maxInFlight) {
      members.add(f.join(STREAM, GROUP, maxInFlight, StartPosition.EARLIEST));
      handled.add(0);
    }

    void run(List<Step> steps) {
      for (Step step : steps) {
        apply(step);
        f.settle();
        check();
      }
      drain();
    }

    private void apply(Step step) {
      int m = step.a() % members.size();
      QueueSubscription member = (QueueSubscription) members.get(m).subscription();
      switch (step.kind()) {
        case 0, 1 -> {
          for (int i = 0; i <= step.b() % 5; i++) {
            f.publishTo(STREAM, (published + i) % shards, RecordData.of("r" + published + i));
          }
          published += step.b() % 5 + 1;
        }
        case 2 -> ackNew(m, step.b() % 4 + 1);
        case 3 -> {
          List<ShardOffset> fresh = takeNew(m, step.b() % 3 + 1);
          if (!fresh.isEmpty()) {
            member.nack(step.b() % 2 == 0 ? 0 : step.b() * 50L, fresh);
          }
        }
        case 4 -> f.scheduler.advance(Duration.ofMillis(step.b() * 100L));
        case 5 -> member.credit(step.b() % 3 + 1);
        case 6 -> {
          // A crash: the member goes away with its leases; a new one joins.
          member.close();
          members.remove(m);
          handled.remove(m);
          join(step.b() % 4 + 1);
        }
        default -> f.scheduler.advance(Duration.ofMillis(1));
      }
    }

    /** The member's deliveries it has not looked at yet, at most {@code max}. */
    private List<ShardOffset> takeNew(int m, int max) {
      List<TestSink.Delivery> deliveries = members.get(m).deliveries();
      List<ShardOffset> fresh = new ArrayList<>();
      int from = handled.get(m);
      int to = (int) Math.min(deliveries.size(), (long) from + max);
      for (int d = from; d < to; d++) {
        fresh.add(new ShardOffset(deliveries.get(d).shard(), deliveries.get(d).offset()));
      }
      handled.set(m, to);
      return fresh;
    }

    private void ackNew(int m, int max) {
      List<ShardOffset> fresh = takeNew(m, max);
      if (fresh.isEmpty()) {
        return;
      }
      for (ShardOffset record : fresh) {
        acked.add(record.shard() + "/" + record.offset());
      }
      ((QueueSubscription) members.get(m).subscription()).ack(fresh);
    }

    private Set<String> deadLettered() {
      Set<String> sources = new HashSet<>();
      for (TestSink.Delivery delivery : dead.deliveries()) {
        for (Header header : delivery.record().headers()) {
          if (header.name().equals("felix-dlq-source")) {
            String source = header.value().toUtf8(); // default/default/prop/<shard>/<offset>
            sources.add(source.substring("default/default/prop/".length()));
          }
        }
      }
      return sources;
    }

    private void check() {
      GroupInfo info = f.broker.group(STREAM, GROUP).orElseThrow();
      Set<String> finished = deadLettered();
      finished.addAll(acked);
      for (GroupInfo.ShardPosition shard : info.shards()) {
        assertThat(shard.committed())
            .as("shard %d never regresses", shard.shard())
            .isGreaterThanOrEqualTo(committed[shard.shard()]);
        for (long offset = committed[shard.shard()]; offset < shard.committed(); offset++) {
          assertThat(finished)
              .as("committed %d passed an unfinished record", shard.committed())
              .contains(shard.shard() + "/" + offset);
        }
        committed[shard.shard()] = shard.committed();
        assertThat(shard.committed()).isLessThanOrEqualTo(shard.next());
      }
    }

    /** Every member acks everything it gets (time passes for delayed nacks) until nothing lags. */
    private void drain() {
      for (int round = 0; round < 200; round++) {
        for (int m = 0; m < members.size(); m++) {
          ackNew(m, Integer.MAX_VALUE);
        }
        f.scheduler.advance(Duration.ofMillis(500));
        check();
        if (f.broker.group(STREAM, GROUP).orElseThrow().lag() == 0) {
          break;
        }
      }
      GroupInfo info = f.broker.group(STREAM, GROUP).orElseThrow();
      assertThat(info.lag()).as("lag after draining: %s", info).isZero();
      assertThat(info.inFlight()).isZero();
      Set<String> finished = deadLettered();
      finished.addAll(acked);
      for (GroupInfo.ShardPosition shard : info.shards()) {
        for (long offset = 0; offset < shard.end(); offset++) {
          assertThat(finished).contains(shard.shard() + "/" + offset);
        }
      }
    }
  }
}
