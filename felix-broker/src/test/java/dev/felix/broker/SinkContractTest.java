package dev.felix.broker;

import static dev.felix.broker.BrokerFixture.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.wire.message.EventsDropped;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Sinks that misbehave or call back must hurt nobody but their own subscription. */
class SinkContractTest {
  private static final StreamRef FEED = StreamRef.of("feed");

  /** A sink whose behaviour on offer is supplied by the test. */
  private static final class CallbackSink implements EventSink {
    final AtomicReference<FelixException> closed = new AtomicReference<>();
    Runnable onOffer = () -> {};
    int offers;

    @Override
    public boolean offer(SharedEvents events) {
      offers++;
      onOffer.run();
      return true;
    }

    @Override
    public boolean offer(EventsDropped notice) {
      return true;
    }

    @Override
    public void onClose(FelixException reason) {
      closed.set(reason);
    }
  }

  @Test
  void throwingSinkEndsOnlyItsOwnSubscription() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      CallbackSink broken = new CallbackSink();
      broken.onOffer =
          () -> {
            throw new IllegalStateException("transport bug");
          };
      Subscription subscription =
          fixture.broker.subscribe(Subscribe.of(FEED, StartPosition.LATEST), 7, broken);
      TestSink healthy = fixture.subscribe(FEED, StartPosition.LATEST);

      assertThat(fixture.publish(FEED, record("a")).isAccepted()).isTrue();
      assertThat(fixture.publish(FEED, record("b")).isAccepted()).isTrue();

      assertThat(healthy.payloads()).containsExactly("a", "b");
      assertThat(subscription.isClosed()).isTrue();
      assertThat(broken.closed.get().code()).isEqualTo(ErrorCode.INTERNAL);
      assertThat(broken.offers).isEqualTo(1);
    }
  }

  @Test
  void sinkMayCloseItsSubscriptionFromInsideOffer() {
    try (BrokerFixture fixture = new BrokerFixture()) {
      fixture.broker.createStream(FEED, StreamConfig.DEFAULTS.withShards(2));
      CallbackSink sink = new CallbackSink();
      AtomicReference<Subscription> self = new AtomicReference<>();
      sink.onOffer = () -> self.get().close();
      self.set(fixture.broker.subscribe(Subscribe.of(FEED, StartPosition.LATEST), 3, sink));

      fixture.publishTo(FEED, 0, record("a"));
      fixture.publishTo(FEED, 1, record("b"));
      fixture.settle(); // the deferred detach

      assertThat(self.get().isClosed()).isTrue();
      assertThat(sink.offers).isEqualTo(1);
      assertThat(sink.closed.get()).isNull();
      StreamInfo info = fixture.broker.stream(FEED).orElseThrow();
      assertThat(info.shards()).allSatisfy(shard -> assertThat(shard.subscriptions()).isZero());
      assertThat(fixture.broker.metrics().subscriptions()).isZero();
    }
  }
}
