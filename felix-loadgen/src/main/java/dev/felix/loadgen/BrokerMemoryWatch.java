package dev.felix.loadgen;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Peaks of a broker's RSS and heap in use, and its CPU time, over readings of its {@code /metrics}
 * ({@link BrokerGauges}): taken on demand ({@link #sample}) and, once {@link #sampleEvery} started
 * it, every period on a thread of its own until {@link #close}. Without gauges (a broker whose
 * metrics nobody gave) every figure stays -1.
 */
public final class BrokerMemoryWatch implements AutoCloseable {
  private final BrokerGauges gauges;
  private volatile long peakRss = -1;
  private volatile long lastRss = -1;
  private volatile long peakHeap = -1;
  private volatile double firstCpu = -1;
  private volatile double lastCpu = -1;
  private volatile ScheduledExecutorService sampler;

  /** {@code gauges} may be null: nothing is read then. */
  public BrokerMemoryWatch(BrokerGauges gauges) {
    this.gauges = gauges;
  }

  /**
   * One reading now; a failed one is thrown. Readings take turns (a later one, such as the last
   * after {@link #close}, waits for one in flight), so the "last" figures are the latest.
   */
  public synchronized void sample() throws Exception {
    if (gauges == null) {
      return;
    }
    BrokerGauges.Sample sample = gauges.sample();
    peakRss = Math.max(peakRss, sample.rssBytes());
    lastRss = sample.rssBytes();
    peakHeap = Math.max(peakHeap, sample.heapUsedBytes());
    if (firstCpu < 0) {
      firstCpu = sample.cpuSeconds();
    }
    lastCpu = sample.cpuSeconds();
  }

  /** One reading now; a failed one only makes the peaks less exact, the next one retries. */
  public void sampleQuietly() {
    try {
      sample();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Missed; see above.
    }
  }

  /** Reads every {@code periodMillis} from now on, on a daemon thread, until {@link #close}. */
  public synchronized BrokerMemoryWatch sampleEvery(long periodMillis) {
    if (sampler == null) {
      sampler =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "felix-bench-sampler");
                thread.setDaemon(true);
                return thread;
              });
      sampler.scheduleAtFixedRate(this::sampleQuietly, 0, periodMillis, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  public long peakRssBytes() {
    return peakRss;
  }

  public long lastRssBytes() {
    return lastRss;
  }

  public long peakHeapBytes() {
    return peakHeap;
  }

  /** CPU seconds between the first and the last reading, or -1. */
  public double cpuSeconds() {
    return firstCpu < 0 ? -1 : lastCpu - firstCpu;
  }

  /**
   * Stops the periodic readings (the figures stay). Not under the readings' lock: a broker slow to
   * answer one (up to the request's 10 s timeout) does not hold up the caller.
   */
  @Override
  public void close() {
    ScheduledExecutorService running = sampler;
    if (running != null) {
      running.shutdownNow();
    }
  }
}
