package dev.felix.bench.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.wire.message.PublishAck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The benchmark measures what it says: every publish is appended and acked, and delivered. */
class BrokerPublishBenchmarkTest {
  @ParameterizedTest
  @CsvSource({"1,0", "1,1", "64,0", "64,1"})
  void everyPublishIsAppendedAndReachesTheSubscribers(int recordsPerBatch, int subscribers)
      throws Exception {
    BrokerPublishBenchmark benchmark = new BrokerPublishBenchmark();
    benchmark.recordsPerBatch = recordsPerBatch;
    benchmark.subscribers = subscribers;
    benchmark.setUp();
    try {
      PublishAck first = benchmark.publish();
      PublishAck second = benchmark.publish();
      long firstOffset = first.ranges().get(0).baseOffset();
      assertThat(second.ranges().get(0).baseOffset()).isEqualTo(firstOffset + recordsPerBatch);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (subscribers > 0 && benchmark.eventBatches() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(benchmark.eventBatches() > 0).isEqualTo(subscribers > 0);
    } finally {
      benchmark.tearDown();
    }
  }
}
