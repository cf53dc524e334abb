package dev.felix.systemtest;

import dev.felix.client.FelixClient;
import dev.felix.client.PublishReceipt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps publishing numbered records ({@link Records#payload}) to one stream from its own thread, in
 * pipelined chunks, until stopped: the "concurrent publisher" of the subscribe tests. Every receipt
 * is checked to land at the offset equal to the record's number (one shard, one publisher).
 */
final class BackgroundPublisher implements AutoCloseable {
  private static final int CHUNK = 25;

  private final FelixClient client;
  private final String stream;
  private final AtomicLong sent;
  private final AtomicLong acked;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean running = true;

  private BackgroundPublisher(FelixClient client, String stream, long firstIndex) {
    this.client = client;
    this.stream = stream;
    this.sent = new AtomicLong(firstIndex);
    this.acked = new AtomicLong(firstIndex);
    this.thread = new Thread(this::run, "publisher-" + stream);
    thread.setDaemon(true);
  }

  /** Starts publishing record {@code firstIndex} and on. */
  static BackgroundPublisher start(FelixClient client, String stream, long firstIndex) {
    BackgroundPublisher publisher = new BackgroundPublisher(client, stream, firstIndex);
    publisher.thread.start();
    return publisher;
  }

  private void run() {
    try {
      while (running) {
        long first = sent.get();
        List<CompletableFuture<PublishReceipt>> chunk = new ArrayList<>(CHUNK);
        for (int i = 0; i < CHUNK; i++) {
          // Counted before the call: the client may send (and the broker append) the record
          // before publishAsync returns, and sent() must never lag what the broker holds.
          sent.incrementAndGet();
          chunk.add(client.publishAsync(stream, Records.payloadBytes(first + i)));
        }
        for (int i = 0; i < CHUNK; i++) {
          PublishReceipt receipt = chunk.get(i).get(60, TimeUnit.SECONDS);
          if (receipt.offset() != first + i) {
            throw new AssertionError(
                "record " + (first + i) + " was acknowledged at offset " + receipt.offset());
          }
          acked.incrementAndGet();
        }
      }
    } catch (Throwable e) {
      failure.set(e);
    }
  }

  /** Records handed to the client so far (all numbers below this were published). */
  long sent() {
    return sent.get();
  }

  /** Records acknowledged so far: every record below this number is appended. */
  long acked() {
    return acked.get();
  }

  /** Waits until at least {@code count} records are acknowledged. */
  void awaitAcked(long count) {
    Await.until(
        () -> "publisher to " + stream + " acknowledged " + count + " records, got " + acked(),
        () -> acked() >= count || failure.get() != null,
        Await.DEFAULT);
    rethrow();
  }

  /**
   * Stops after the chunk in flight and returns how many records exist in total (all acked).
   *
   * @throws AssertionError when a publish failed
   */
  long stop() throws InterruptedException {
    running = false;
    thread.join(120_000);
    if (thread.isAlive()) {
      throw new AssertionError("the publisher to " + stream + " did not stop");
    }
    rethrow();
    return acked();
  }

  private void rethrow() {
    Throwable e = failure.get();
    if (e != null) {
      throw new AssertionError("publishing to " + stream + " failed", e);
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(120_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
