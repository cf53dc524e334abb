package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.client.FelixClient;
import dev.felix.client.OutgoingMessage;
import dev.felix.client.PublishReceipt;
import dev.felix.client.ReceivedRecord;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Streams with four shards: keys choose shards, and each shard keeps its own order. */
class ShardingTest {
  private static final int SHARDS = 4;
  private static final int RECORDS = 2_000;
  private static final int KEYS = 40;
  private static final Duration LONG = Duration.ofSeconds(60);

  @RegisterExtension
  static final EmbeddedFelix FELIX =
      EmbeddedFelix.with("FELIX_STREAM_SHARDS", String.valueOf(SHARDS));

  @Test
  void sameKeyAlwaysSameShardAndEveryShardKeepsPublishOrderWithDenseOffsets() throws Exception {
    String stream = EmbeddedFelix.uniqueStream("keys");
    FelixClient client = FELIX.connect();
    Subscription subscription = client.subscribe(stream, SubscribeOptions.earliest());
    assertThat(subscription.nextOffsets()).hasSize(SHARDS);

    try (SubscriptionCollector collector = SubscriptionCollector.start(subscription, stream)) {
      List<CompletableFuture<PublishReceipt>> pending = new ArrayList<>();
      for (int i = 0; i < RECORDS; i++) {
        pending.add(
            client.publishAsync(
                OutgoingMessage.builder(stream).key(key(i)).payload(Records.payload(i)).build()));
      }
      List<PublishReceipt> receipts = Records.await(pending, stream);

      // The acknowledgements: one shard per key, and per shard dense offsets in publish order.
      Map<String, Set<Integer>> shardsOfKey = new HashMap<>();
      Map<Integer, List<Integer>> publishedPerShard = new HashMap<>();
      for (int i = 0; i < RECORDS; i++) {
        PublishReceipt receipt = receipts.get(i);
        shardsOfKey.computeIfAbsent(key(i), k -> new HashSet<>()).add(receipt.shard());
        List<Integer> onShard =
            publishedPerShard.computeIfAbsent(receipt.shard(), s -> new ArrayList<>());
        assertThat(receipt.offset()).as("offset of record %d", i).isEqualTo(onShard.size());
        onShard.add(i);
      }
      assertThat(shardsOfKey.values()).allSatisfy(shards -> assertThat(shards).hasSize(1));
      assertThat(publishedPerShard.keySet())
          .as("shards used by %d keys", KEYS)
          .hasSizeGreaterThan(1);

      // The deliveries: every record once, on the shard it was acknowledged on, in order per shard.
      collector.awaitCount(RECORDS, LONG);
      Map<Integer, List<ReceivedRecord>> receivedPerShard = new HashMap<>();
      for (ReceivedRecord record : collector.records()) {
        receivedPerShard.computeIfAbsent(record.shard(), s -> new ArrayList<>()).add(record);
      }
      assertThat(receivedPerShard.keySet()).isEqualTo(publishedPerShard.keySet());
      for (Map.Entry<Integer, List<ReceivedRecord>> shard : receivedPerShard.entrySet()) {
        List<ReceivedRecord> records = shard.getValue();
        List<Integer> published = publishedPerShard.get(shard.getKey());
        assertThat(Records.offsets(records))
            .as("offsets of shard %d", shard.getKey())
            .containsExactlyElementsOf(Records.range(0, published.size()));
        for (int n = 0; n < records.size(); n++) {
          int index = published.get(n);
          ReceivedRecord record = records.get(n);
          assertThat(record.payloadAsString()).isEqualTo(Records.payload(index));
          assertThat(new String(record.key().toArray(), StandardCharsets.UTF_8))
              .isEqualTo(key(index));
        }
      }
      assertThat(collector.size()).isEqualTo(RECORDS);
    }
  }

  private static String key(int index) {
    return "key-" + (index % KEYS);
  }
}
