package dev.felix.storage.durable;

/**
 * When a {@link DurableLog} forces its writes to stable storage, and therefore when {@link
 * dev.felix.storage.log.Appended#durable()} completes.
 */
public enum FsyncPolicy {
  /**
   * Every append is covered by an fsync before its {@code durable} stage completes. Appends that
   * arrive while an fsync runs share the next one (group commit), so the cost is one fsync per
   * flusher round, not per append. Nothing acknowledged is lost on power failure.
   */
  ALWAYS,
  /**
   * The flusher forces the log every {@link DurableLogConfig#fsyncIntervalMs()}; {@code durable}
   * completes as soon as the write reached the page cache. A power failure (not a process crash)
   * can lose the appends of the last interval.
   */
  INTERVAL,
  /**
   * The log never forces on its own (only on close); the operating system writes pages back when it
   * chooses. A power failure can lose any amount of recent data; a process crash loses nothing.
   */
  NEVER
}
