package dev.felix.storage.log;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Result of {@link Log#append}: the offsets the records got, and when they become safe.
 *
 * @param baseOffset offset of the first appended record
 * @param recordCount number of records appended (offsets {@code baseOffset .. baseOffset +
 *     recordCount - 1})
 * @param durable completes once the records are as safe as the log makes them: {@link
 *     #ALREADY_DURABLE} for a memory log; after the fsync policy for a durable log. It fails with a
 *     {@code StorageException} if that never happens; an acknowledgement must then report failure.
 */
public record Appended(long baseOffset, int recordCount, CompletionStage<Void> durable) {
  /**
   * The shared, already completed stage of logs that have nothing more to do after an append. It
   * cannot be completed by callers, so sharing it is safe; comparing against it lets callers skip
   * the asynchronous path.
   */
  public static final CompletionStage<Void> ALREADY_DURABLE =
      CompletableFuture.completedStage(null);

  public Appended {
    if (baseOffset < 0 || recordCount < 1) {
      throw new IllegalArgumentException(
          "append needs baseOffset >= 0 and records: " + baseOffset + "/" + recordCount);
    }
  }

  /** The offset after the last appended record. */
  public long nextOffset() {
    return baseOffset + recordCount;
  }

  /** True when {@link #durable()} is the already completed stage, so no waiting is needed. */
  public boolean isDurable() {
    return durable == ALREADY_DURABLE;
  }
}
