/**
 * JMH benchmarks of the wire codec's hot paths: PublishBatch encode and decode, {@code
 * RecordCodec.write} into a reused buffer, EventBatch fan-out and frame splitting, each with a JDK
 * baseline on the same bytes. Results and the commands that reproduce them are in {@code
 * docs/benchmarks.md}.
 *
 * <p>Run with {@code -prof gc}: {@code gc.alloc.rate.norm} (B/op) is the figure that proves "no
 * per-record allocation", and it must stay flat as {@code recordsPerBatch} grows for decode +
 * iterate and for {@code RecordCodec.write}.
 *
 * <p>Warm-up is 15 x 1 s on purpose. On the shared 2-core build machine (load average 10-16 while
 * other modules built) C2 often finished only 8-13 s into a fork: with 3 x 1 s, and still often
 * with 8 x 1 s, the first measurement iterations were 10-100 times slower than the last ones and
 * the score measured the JIT, not the codec.
 */
package dev.felix.bench.wire;
