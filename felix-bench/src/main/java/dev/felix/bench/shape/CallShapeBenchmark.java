package dev.felix.bench.shape;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What W4's call shape costs before any protocol or server work: one call (a 32-byte request, a 1
 * KiB answer) in Redis's shape ({@link OwnSocketShape}: the caller owns a TCP socket) against the
 * Felix client's shape ({@link HandOffShape}: the caller hands its call to an I/O thread that
 * speaks UDP), with one calling thread and with W4's eight. Both servers answer from one selector
 * thread and do nothing else, so the ratio of the two is the most the Felix client's shape can
 * reach against Jedis on this machine, whatever QUIC, TLS and the broker cost on top. The third
 * shape, {@link QuicTransportShape}, is the hand-off over Felix's QUIC transport: what QUIC and TLS
 * add before any broker or client-library work.
 *
 * <p>Sample time per call; with N threads in closed loop, calls per second are N / mean.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CallShapeBenchmark {
  OwnSocketShape ownSocket;
  HandOffShape handOff;
  QuicTransportShape quic;

  @Setup
  public void setUp() throws IOException {
    ownSocket = new OwnSocketShape();
    handOff = new HandOffShape();
    quic = new QuicTransportShape();
  }

  @TearDown
  public void tearDown() throws IOException {
    ownSocket.close();
    handOff.close();
    quic.close();
  }

  /** One calling thread's end of both shapes. */
  @State(Scope.Thread)
  public static class CallingThread {
    OwnSocketShape.Caller socket;
    HandOffShape.Caller handOff;
    QuicTransportShape.Caller quic;
    long sequence;

    @Setup
    public void connect(CallShapeBenchmark shapes) throws IOException {
      socket = shapes.ownSocket.connect();
      handOff = shapes.handOff.caller();
      quic = shapes.quic.caller();
    }

    @TearDown
    public void close() throws IOException {
      socket.close();
    }
  }

  @Benchmark
  @Threads(1)
  public long ownSocketOneThread(CallingThread thread) throws IOException {
    return thread.socket.call(++thread.sequence);
  }

  @Benchmark
  @Threads(8)
  public long ownSocketEightThreads(CallingThread thread) throws IOException {
    return thread.socket.call(++thread.sequence);
  }

  @Benchmark
  @Threads(1)
  public long handOffOneThread(CallingThread thread) {
    return thread.handOff.call(++thread.sequence);
  }

  @Benchmark
  @Threads(8)
  public long handOffEightThreads(CallingThread thread) {
    return thread.handOff.call(++thread.sequence);
  }

  @Benchmark
  @Threads(1)
  public long quicTransportOneThread(CallingThread thread) {
    return quic.call(thread.quic, ++thread.sequence);
  }

  @Benchmark
  @Threads(8)
  public long quicTransportEightThreads(CallingThread thread) {
    return quic.call(thread.quic, ++thread.sequence);
  }
}
