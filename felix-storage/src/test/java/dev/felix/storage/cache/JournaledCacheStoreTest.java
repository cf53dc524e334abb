package dev.felix.storage.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.storage.time.ManualClock;
import dev.felix.wire.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** A cache store with a journal: what it hands over, and answers that wait for durability. */
class JournaledCacheStoreTest {
  private final ManualClock clock = new ManualClock(1_000_000);
  private final List<CacheLogRecord> journaled = new ArrayList<>();
  private final List<CompletableFuture<Void>> pending = new ArrayList<>();
  private boolean full;

  private final CacheJournal journal =
      (change, mustAccept) -> {
        if (full && !mustAccept) {
          return null;
        }
        journaled.add(change);
        CompletableFuture<Void> durable = new CompletableFuture<>();
        pending.add(durable);
        return durable;
      };

  @Test
  void answersCompleteOnlyWhenTheJournalSaysDurable() {
    CacheStore store = new CacheStore(CacheStoreConfig.defaults(), clock, journal);
    CompletionStage<?> put = store.putAsync(Bytes.utf8("k"), Bytes.utf8("v"), 5_000);
    assertThat(put.toCompletableFuture()).isNotDone();
    assertThat(journaled)
        .containsExactly(
            CacheLogRecord.put(Bytes.utf8("k"), Bytes.utf8("v"), 1, clock.epochMillis() + 5_000));
    pending.get(0).complete(null);
    assertThat(put.toCompletableFuture()).isCompleted();

    CompletionStage<?> delete = store.deleteAsync(Bytes.utf8("k"));
    assertThat(journaled.get(1)).isEqualTo(CacheLogRecord.remove(Bytes.utf8("k"), 1));
    pending.get(1).completeExceptionally(new IllegalStateException("disk"));
    assertThat(delete.toCompletableFuture()).isCompletedExceptionally();
  }

  @Test
  void aFullJournalRefusesTheWriteAndChangesNothing() {
    CacheStore store = new CacheStore(CacheStoreConfig.defaults(), clock, journal);
    store.putAsync(Bytes.utf8("k"), Bytes.utf8("v1"), 0);
    full = true;
    assertThatThrownBy(() -> store.putAsync(Bytes.utf8("k"), Bytes.utf8("v2"), 0))
        .isInstanceOfSatisfying(
            LimitException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKPRESSURE));
    assertThatThrownBy(() -> store.deleteAsync(Bytes.utf8("k"))).isInstanceOf(LimitException.class);
    assertThat(store.get(Bytes.utf8("k")).value().toUtf8()).isEqualTo("v1");
    assertThat(journaled).hasSize(1);
    assertThat(store.metrics().rejected()).isEqualTo(2);
  }

  @Test
  void evictionsAreJournaledAsRemovalsEvenWhenFull() {
    long maxBytes = EntryWeight.of(2, 100) * 3;
    CacheStore store = new CacheStore(new CacheStoreConfig(maxBytes, 0, 0, 1000), clock, journal);
    for (int i = 0; i < 10; i++) {
      store.putAsync(Bytes.utf8("k" + i), Bytes.wrap(new byte[100]), 0);
    }
    store.cleanUp();
    long removals = journaled.stream().filter(r -> r.op() == CacheLogRecord.Op.REMOVE).count();
    assertThat(removals).isEqualTo(10 - store.entries());
    assertThat(removals).isPositive();
  }

  @Test
  void syncWritesAreRefusedOnAJournaledStore() {
    CacheStore store = new CacheStore(CacheStoreConfig.defaults(), clock, journal);
    assertThatThrownBy(() -> store.put(Bytes.utf8("k"), Bytes.utf8("v"), 0))
        .isInstanceOf(IllegalStateException.class);
  }
}
