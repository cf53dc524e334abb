package dev.felix.client.internal;

import dev.felix.wire.message.StreamRef;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Remembers which stream the most recent ack-NONE publishes went to, by request id, so that an
 * Error the server sends for one of them (protocol section 1.3) can name the stream in {@code
 * ClientListener.onPublishFailed}. A fixed ring: ids come from a counter, so the newest 4,096
 * publishes are kept and memory stays bounded however fast the producer is. An Error for an older
 * one is still reported, without the stream.
 *
 * <p>Thread-safe.
 */
final class NoAckRegistry {
  private static final int SLOTS = 4096;

  private record Entry(int requestId, StreamRef stream) {}

  private final AtomicReferenceArray<Entry> ring = new AtomicReferenceArray<>(SLOTS);

  void remember(int requestId, StreamRef stream) {
    ring.set(requestId & (SLOTS - 1), new Entry(requestId, stream));
  }

  /** The stream of a remembered ack-NONE publish, or null. */
  StreamRef streamOf(int requestId) {
    Entry entry = ring.get(requestId & (SLOTS - 1));
    return entry != null && entry.requestId() == requestId ? entry.stream() : null;
  }
}
