package dev.felix.bench.shape;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Every shape answers every call with its own sequence, from one thread and from eight at once. */
class CallShapeBenchmarkTest {
  private static final int CALLS_PER_THREAD = 2_000;

  @Test
  void everyCallIsAnsweredWithItsOwnSequenceInBothShapes() throws Exception {
    CallShapeBenchmark shapes = new CallShapeBenchmark();
    shapes.setUp();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> answered = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        answered.add(threads.submit(callsFromOneThread(shapes)));
      }
      for (Future<Long> calls : answered) {
        assertThat(calls.get()).isEqualTo(3L * CALLS_PER_THREAD);
      }
    } finally {
      threads.shutdownNow();
      shapes.tearDown();
    }
  }

  /** Each thread checks its own answers: a crossed answer would carry another caller's number. */
  private static Callable<Long> callsFromOneThread(CallShapeBenchmark shapes) {
    return () -> {
      CallShapeBenchmark.CallingThread thread = new CallShapeBenchmark.CallingThread();
      thread.connect(shapes);
      long base = Thread.currentThread().getId() * 1_000_000L;
      long answered = 0;
      try {
        for (int n = 1; n <= CALLS_PER_THREAD; n++) {
          thread.sequence = base + n - 1;
          assertThat(shapes.ownSocketEightThreads(thread)).isEqualTo(base + n);
          thread.sequence = base + n - 1;
          assertThat(shapes.handOffEightThreads(thread)).isEqualTo(base + n);
          thread.sequence = base + n - 1;
          assertThat(shapes.quicTransportEightThreads(thread)).isEqualTo(base + n);
          answered += 3;
        }
      } finally {
        thread.close();
      }
      return answered;
    };
  }
}
