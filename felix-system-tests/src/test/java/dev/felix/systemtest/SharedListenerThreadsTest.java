package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.FelixClient;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code FelixOptions.listenerThreads}: many listener subscriptions share a small pool instead of a
 * thread each, and every listener still gets its records once, in order, never concurrently.
 */
class SharedListenerThreadsTest {
  @RegisterExtension static final EmbeddedFelix FELIX = EmbeddedFelix.withDefaults();

  /** Checks order and exclusivity for one subscription; records which threads called it. */
  private static final class OrderedListener implements dev.felix.client.RecordListener {
    final Set<String> threads;
    final CountDownLatch done;
    final AtomicInteger concurrent = new AtomicInteger();
    volatile boolean overlapped;
    volatile long expectedOffset;
    volatile boolean outOfOrder;
    final int count;

    OrderedListener(Set<String> threads, CountDownLatch done, int count) {
      this.threads = threads;
      this.done = done;
      this.count = count;
    }

    @Override
    public void onRecord(dev.felix.client.ReceivedRecord record) {
      if (concurrent.incrementAndGet() > 1) {
        overlapped = true;
      }
      threads.add(Thread.currentThread().getName());
      if (record.offset() != expectedOffset) {
        outOfOrder = true;
      }
      expectedOffset = record.offset() + 1;
      if (expectedOffset == count) {
        done.countDown();
      }
      concurrent.decrementAndGet();
    }
  }

  @Test
  void twoHundredListenerSubscriptionsShareTwoThreadsAndGetEveryRecordInOrder() throws Exception {
    int subscriptions = 200;
    int streams = 20;
    int perStream = 300;
    FelixClient subscriber = FELIX.connect(options -> options.listenerThreads(2));
    FelixClient publisher = FELIX.connect();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch done = new CountDownLatch(subscriptions);
    List<OrderedListener> listeners = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      names.add(EmbeddedFelix.uniqueStream("pooled"));
    }
    for (int i = 0; i < subscriptions; i++) {
      OrderedListener listener = new OrderedListener(threads, done, perStream);
      listeners.add(listener);
      Subscription subscription =
          subscriber.subscribe(names.get(i % streams), SubscribeOptions.earliest(), listener);
      FELIX.closeAfterTest(subscription);
    }

    for (String stream : names) {
      Records.publish(publisher, stream, 0, perStream);
    }

    assertThat(done.await(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS))
        .as("every subscription received all %d records", perStream)
        .isTrue();
    assertThat(listeners).noneMatch(listener -> listener.outOfOrder);
    assertThat(listeners).noneMatch(listener -> listener.overlapped);
    assertThat(threads).hasSizeBetween(1, 2).allMatch(name -> name.contains("-listener-"));
  }
}
