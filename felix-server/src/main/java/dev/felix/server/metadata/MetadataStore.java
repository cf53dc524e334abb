package dev.felix.server.metadata;

/**
 * Where the broker's metadata lives. Changes are applied one at a time, in order, and are durable
 * when {@link #apply} returns: the embedded store has forced them to its file; a replicated store
 * will have committed them to a quorum. Readers take {@link #current()}, an immutable snapshot, and
 * never wait for a writer.
 *
 * <p>Implementations are thread-safe.
 */
public interface MetadataStore extends AutoCloseable {

  /** The latest applied snapshot. Never null; a cheap read. */
  MetadataSnapshot current();

  /**
   * Applies {@code change} to the current snapshot and makes the result durable.
   *
   * @return the new snapshot (its version one above the previous)
   * @throws dev.felix.error.StorageException when the change could not be made durable; the current
   *     snapshot is then unchanged
   */
  MetadataSnapshot apply(MetadataChange change);

  @Override
  void close();
}
