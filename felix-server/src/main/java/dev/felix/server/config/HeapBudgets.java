package dev.felix.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Start-up checks of the two heap budgets against the heap they live in. Memory streams ({@code
 * FELIX_STREAMS_MEMORY_MAX_BYTES}, half the heap by default) and caches ({@code
 * FELIX_CACHES_MAX_BYTES}) each refuse growth past their own budget, but nothing stops the two
 * together from asking for more than the heap holds; then full streams and caches end in an
 * OutOfMemoryError (the broker exits) instead of typed refusals. Either budget counts its data
 * bytes only; object headers, indexes, send queues and batching need the rest, so the warning fires
 * well before the sum reaches the heap, and the memory streams' share is taken at what it was
 * measured to cost ({@link #STREAM_HEAP_PER_BUDGET_BYTE}).
 */
public final class HeapBudgets {
  /** Above this share of the heap, the caches alone crowd out the rest. */
  static final double CACHE_SHARE_WARNING = 0.5;

  /**
   * Above this share of the heap, streams and caches together leave too little for the rest (also
   * the bound of {@code felix bench MEM}'s live-heap objective).
   */
  public static final double COMBINED_SHARE_WARNING = 0.8;

  /**
   * Heap the memory streams take per byte their budget counts. The budget counts record bytes; the
   * logs hold about a tenth more (up to two partly filled chunks each, batch headers): with both
   * default budgets full on the Helm chart's 1,228 MiB heap, 100-byte records in the streams' 614
   * MiB took ~678 MiB (docs/benchmarks.md, "The memory objective measured").
   */
  static final double STREAM_HEAP_PER_BUDGET_BYTE = 1.1;

  private HeapBudgets() {}

  /**
   * The warnings for these budgets in a heap of {@code heapBytes} ({@link Long#MAX_VALUE}: no
   * bound, nothing to check); empty when they fit.
   */
  public static List<String> warnings(long heapBytes, long streamBytes, long cacheBytes) {
    List<String> warnings = new ArrayList<>();
    if (heapBytes == Long.MAX_VALUE) {
      return warnings;
    }
    if (cacheBytes > heapBytes * CACHE_SHARE_WARNING) {
      warnings.add(
          "cache memory budget FELIX_CACHES_MAX_BYTES="
              + cacheBytes
              + " is more than half of the JVM heap ("
              + heapBytes
              + " bytes): full caches may exhaust the heap. Lower it or raise -Xmx.");
    }
    double combined = streamBytes * STREAM_HEAP_PER_BUDGET_BYTE + cacheBytes;
    if (combined > heapBytes * COMBINED_SHARE_WARNING) {
      warnings.add(
          "memory streams (FELIX_STREAMS_MEMORY_MAX_BYTES="
              + streamBytes
              + ", taking about "
              + Math.round(100 * (STREAM_HEAP_PER_BUDGET_BYTE - 1))
              + "% more heap than they count) and caches"
              + " (FELIX_CACHES_MAX_BYTES="
              + cacheBytes
              + ") may together take "
              + Math.round(100.0 * combined / heapBytes)
              + "% of the JVM heap ("
              + heapBytes
              + " bytes): when both fill up the broker runs out of heap instead of refusing"
              + " writes. Lower either budget or raise -Xmx.");
    }
    return warnings;
  }
}
