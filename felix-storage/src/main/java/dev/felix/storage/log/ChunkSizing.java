package dev.felix.storage.log;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Sizes {@link MemoryLog} chunks for the garbage collector, so that retained records are never
 * copied by young collections.
 *
 * <p><b>Why.</b> A memory stream keeps its records for seconds to hours: exactly the medium-lived
 * data a generational collector handles worst. With G1 and 4 MiB heap regions (a 4-8 GiB heap), a 1
 * MiB chunk is an ordinary young object, and every young pause copied the chunks filled since the
 * last ones to a survivor space and again at each later pause until they were promoted: in
 * BENCH.md's W3 (20k msg/s) about 10 MiB of record chunks per pause, most of the pause time (gc and
 * gc+age logs in docs/benchmarks.md). G1 allocates an array of at least half a region ("humongous")
 * straight into old regions of its own, never copies it, and frees it cheaply once dead.
 *
 * <p><b>The rule.</b> Under G1 with region size {@code R}, a log's standard chunk of {@code c}
 * bytes (its configured chunk size, at most its byte bound) becomes {@code ceil(c / R) * R -
 * header}, where {@code header} is the byte array's object header: it fills its regions exactly (a
 * humongous array shares its last region with nothing, so any less would leave room unused). Only
 * when {@code c >= R / 8}, so a log configured with small chunks (tests, tiny streams) keeps them
 * rather than grow eightfold or more, and when the log's bound holds at least {@link
 * #MIN_CHUNKS_PER_BOUND} such chunks, so a small stream does not hold more slack than records.
 * Growing chunks (see {@link MemoryLog}) jump to the standard size instead of taking a step of half
 * a region or more, which would be humongous with most of its region wasted. Other collectors, or a
 * JVM that does not say, get the configured sizes unchanged.
 *
 * <p>Threading: immutable.
 */
final class ChunkSizing {
  /** A byte[]'s object header with compressed class pointers (the default below 32 GiB). */
  static final int ARRAY_HEADER_BYTES = 16;

  /** The running JVM's sizing, read once. */
  static final ChunkSizing JVM = new ChunkSizing(g1RegionBytes());

  /**
   * A log's bound must hold at least this many fitted chunks, else its chunks stay as configured: a
   * log holds up to about three chunks beyond its records (see {@link MemoryLog}), which should
   * stay a minor share of its bound.
   */
  static final int MIN_CHUNKS_PER_BOUND = 8;

  private final long regionBytes;

  /**
   * @param regionBytes G1's heap region size, or 0 when G1 is not the collector
   */
  ChunkSizing(long regionBytes) {
    this.regionBytes = regionBytes;
  }

  /**
   * The capacity of the full-size chunks of a log configured with chunks of {@code chunkBytes} and
   * a bound of {@code maxBytes}.
   */
  int standardBytes(int chunkBytes, long maxBytes) {
    int configured = (int) Math.min(chunkBytes, maxBytes);
    if (regionBytes == 0 || configured < regionBytes / 8) {
      return configured;
    }
    long regions = (configured + regionBytes - 1) / regionBytes;
    long fitted = regions * regionBytes - ARRAY_HEADER_BYTES;
    if (fitted > maxBytes / MIN_CHUNKS_PER_BOUND || fitted > Integer.MAX_VALUE - 8) {
      return configured; // a small log would hold more slack than records
    }
    return (int) fitted;
  }

  /** The capacity of a log's next growing chunk after one of {@code current} bytes. */
  int nextGrowingBytes(int current, int standard) {
    long doubled = Math.min(2L * current, standard);
    if (regionBytes != 0 && doubled + ARRAY_HEADER_BYTES >= regionBytes / 2) {
      return standard;
    }
    return (int) doubled;
  }

  private static long g1RegionBytes() {
    try {
      HotSpotDiagnosticMXBean vm =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if (vm == null || !Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
        return 0;
      }
      return Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
    } catch (RuntimeException | LinkageError e) {
      return 0; // not HotSpot, or no such option: keep the configured sizes
    }
  }
}
