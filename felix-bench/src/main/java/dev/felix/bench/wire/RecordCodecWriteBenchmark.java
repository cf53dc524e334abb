package dev.felix.bench.wire;

import dev.felix.wire.message.Header;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordCodec;
import dev.felix.wire.message.RecordData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The allocation-free encode path: a whole batch of records written with {@code RecordCodec.write}
 * straight into one reused buffer, as the broker does when it appends to a log or a client when it
 * fills its send buffer. With {@code -prof gc}, B/op must stay flat as records per batch grow.
 *
 * <p>Two Felix entry points: from {@link RecordData} values ({@code felixWriteRecordData}) and from
 * caller-owned payload buffers ({@code felixWriteBuffers}). Baselines on the same bytes into the
 * same reused buffer: {@code jdkBulkPut} (the whole encoded run in one copy: the floor) and {@code
 * jdkFieldPuts} (the record fields put by hand, no validation: the floor for a per-record encoder).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 5, time = 1)
public class RecordCodecWriteBenchmark {
  @Param({"1", "64", "1024"})
  public int recordsPerBatch;

  @Param({"100"})
  public int payloadBytes;

  /**
   * 0 is the W1 shape; run with {@code -p headersPerRecord=2} to see the per-header cost (header
   * names are encoded to UTF-8 arrays per record).
   */
  @Param({"0"})
  public int headersPerRecord;

  private List<RecordData> records;
  private List<Header> headers;
  private byte[][] headerNames;
  private byte[][] headerValues;
  private ByteBuffer[] payloadBuffers;
  private byte[][] payloads;
  private byte[] encodedRecords;
  private ByteBuffer out;

  @Setup
  public void setUp() {
    records = WireFixtures.records(recordsPerBatch, payloadBytes, headersPerRecord);
    headers = WireFixtures.headers(headersPerRecord);
    headerNames = new byte[headersPerRecord][];
    headerValues = new byte[headersPerRecord][];
    for (int h = 0; h < headersPerRecord; h++) {
      headerNames[h] = headers.get(h).name().getBytes(StandardCharsets.UTF_8);
      headerValues[h] = headers.get(h).value().toArray();
    }
    payloads = WireFixtures.payloads(recordsPerBatch, payloadBytes);
    payloadBuffers = new ByteBuffer[recordsPerBatch];
    for (int i = 0; i < recordsPerBatch; i++) {
      payloadBuffers[i] = ByteBuffer.wrap(payloads[i]);
    }
    ByteBuffer encoded = RecordBatch.of(records).bytes();
    encodedRecords = new byte[encoded.remaining()];
    encoded.get(encodedRecords);
    out = ByteBuffer.allocate(encodedRecords.length);

    fieldPuts();
    WireFixtures.requireSameBytes("hand-written puts", encodedRecords, written());
    writeBuffers();
    WireFixtures.requireSameBytes("RecordCodec.write(buffers)", encodedRecords, written());
  }

  @Benchmark
  public void felixWriteRecordData(Blackhole bh) {
    out.clear();
    for (int i = 0; i < recordsPerBatch; i++) {
      RecordCodec.write(out, i, records.get(i));
    }
    bh.consume(out);
  }

  @Benchmark
  public void felixWriteBuffers(Blackhole bh) {
    writeBuffers();
    bh.consume(out);
  }

  @Benchmark
  public void jdkBulkPut(Blackhole bh) {
    out.clear();
    out.put(encodedRecords);
    bh.consume(out);
  }

  @Benchmark
  public void jdkFieldPuts(Blackhole bh) {
    fieldPuts();
    bh.consume(out);
  }

  private void writeBuffers() {
    out.clear();
    for (int i = 0; i < recordsPerBatch; i++) {
      RecordCodec.write(out, i, 0L, null, headers, payloadBuffers[i]);
    }
  }

  private void fieldPuts() {
    out.clear();
    for (int i = 0; i < recordsPerBatch; i++) {
      int start = out.position();
      out.putInt(0).put((byte) 0).putInt(i).putLong(0L).putShort((short) headersPerRecord);
      for (int h = 0; h < headersPerRecord; h++) {
        out.putShort((short) headerNames[h].length).put(headerNames[h]);
        out.putShort((short) headerValues[h].length).put(headerValues[h]);
      }
      out.put(payloads[i]);
      out.putInt(start, out.position() - start - RecordCodec.LENGTH_PREFIX);
    }
  }

  private byte[] written() {
    byte[] bytes = new byte[out.position()];
    out.get(0, bytes);
    return bytes;
  }
}
