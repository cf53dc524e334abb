package dev.felix.storage.cache;

import java.util.concurrent.CompletionStage;

/**
 * Where a durable cache's changes go: the store calls it inside each key's atomic update, so a
 * key's changes reach the journal in the order the store makes them, whatever threads write.
 *
 * <p>Implementations must not block or touch the disk in {@link #record}: it runs on the writer's
 * thread (a transport event loop) while the key is locked. They queue the change and write it
 * elsewhere.
 */
public interface CacheJournal {
  /**
   * Queues one change.
   *
   * @param mustAccept true for removals the store cannot refuse (evictions): the journal queues
   *     them past its bound
   * @return completes when the change is as durable as promised (exceptionally with a {@link
   *     dev.felix.error.StorageException} when it could not be written); null when the journal is
   *     full and the change must not be made
   */
  CompletionStage<Void> record(CacheLogRecord change, boolean mustAccept);
}
