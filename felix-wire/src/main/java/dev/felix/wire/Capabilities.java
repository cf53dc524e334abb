package dev.felix.wire;

/**
 * Capability bits exchanged in {@code Hello} (what the client wants) and {@code HelloOk} (what the
 * server grants: the intersection with what it supports). A peer uses a feature only when its bit
 * was granted. Unknown bits in a {@code Hello} are simply not granted; that is what lets a newer
 * client talk to an older server.
 */
public final class Capabilities {
  /** Producer id + sequence de-duplicate retried publishes. */
  public static final long IDEMPOTENT_PRODUCER = 1L;

  /** Consumer groups: subscribe with a group, queue ack/nack/credit. */
  public static final long QUEUES = 1L << 1;

  /** Cache operations on request streams. */
  public static final long CACHE = 1L << 2;

  /** Batched cache calls (multi-get, multi-put). */
  public static final long CACHE_MULTI = 1L << 3;

  /** Cache prefix watches: CacheWatch, then CacheChanges on the watch's own request stream. */
  public static final long CACHE_WATCH = 1L << 4;

  /**
   * Named subscription cursors: a cursor name on Subscribe and CURSOR_COMMIT. Positions survive a
   * broker restart on durable streams (memory streams keep them only while the broker runs).
   */
  public static final long DURABLE_CURSORS = 1L << 5;

  /** Reserved: frame compression ({@link FrameFlags#COMPRESSED}). Not granted by v1 servers. */
  public static final long COMPRESSION = 1L << 32;

  /** Reserved: payload encryption envelope ({@link FrameFlags#ENCRYPTED}). Not granted by v1. */
  public static final long ENCRYPTION = 1L << 33;

  /** Everything a v1 peer of this build can use. */
  public static final long SUPPORTED_V1 =
      IDEMPOTENT_PRODUCER | QUEUES | CACHE | CACHE_MULTI | CACHE_WATCH | DURABLE_CURSORS;

  private Capabilities() {}

  /** The bits a server grants in reply to {@code requested}. */
  public static long negotiate(long requested, long supported) {
    return requested & supported;
  }

  public static boolean has(long capabilities, long bit) {
    return (capabilities & bit) == bit;
  }
}
