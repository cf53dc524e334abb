package dev.felix.broker;

import dev.felix.error.FelixException;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.EventsDropped;
import dev.felix.wire.message.RecordCursor;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StreamRef;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory {@link EventSink} for tests. Every accepted batch is decoded from the exact frame
 * bytes a transport would send (prefix + shared part), so tests check the wire form too. It can
 * stall (refuse offers) and resume (then it calls {@link Subscription#onWritable()}, as a transport
 * does when its stream becomes writable).
 */
final class TestSink implements EventSink {
  private static final FrameCodec CODEC = new FrameCodec(WireLimits.DEFAULTS);

  /** One delivered record with everything the subscriber sees. */
  record Delivery(StreamRef stream, int shard, long offset, RecordData record) {}

  private final int subscriptionId;
  private final List<Object> items = new ArrayList<>();
  private final List<Delivery> deliveries = new ArrayList<>();
  private final List<SharedEvents> batches = new ArrayList<>();
  private volatile Subscription subscription;
  private boolean writable = true;
  private int budget = Integer.MAX_VALUE;
  private FelixException closedWith;
  private boolean closed;

  TestSink(int subscriptionId) {
    this.subscriptionId = subscriptionId;
  }

  int subscriptionId() {
    return subscriptionId;
  }

  void attach(Subscription value) {
    subscription = value;
  }

  Subscription subscription() {
    return subscription;
  }

  @Override
  public synchronized boolean offer(SharedEvents events) {
    if (!take()) {
      return false;
    }
    batches.add(events);
    items.add(events);
    EventBatch batch = (EventBatch) CODEC.decode(events.toFrame(subscriptionId)).message();
    if (batch.subscriptionId() != subscriptionId) {
      throw new AssertionError("wrong subscription id " + batch.subscriptionId());
    }
    RecordCursor cursor = batch.records().cursor();
    while (cursor.next()) {
      deliveries.add(
          new Delivery(
              batch.stream(),
              batch.shard(),
              batch.baseOffset() + cursor.offsetDelta(),
              cursor.toRecord()));
    }
    return true;
  }

  @Override
  public synchronized boolean offer(EventsDropped notice) {
    if (!take()) {
      return false;
    }
    if (notice.subscriptionId() != subscriptionId) {
      throw new AssertionError("wrong subscription id " + notice.subscriptionId());
    }
    items.add(notice);
    return true;
  }

  @Override
  public synchronized void onClose(FelixException reason) {
    closed = true;
    closedWith = reason;
  }

  private boolean take() {
    if (closed) {
      throw new AssertionError("offer after onClose");
    }
    if (!writable) {
      return false;
    }
    if (budget <= 0) {
      writable = false;
      return false;
    }
    budget--;
    return true;
  }

  /** Refuses every offer from now on. */
  synchronized void stall() {
    writable = false;
  }

  /** Accepts {@code items} more offers, then stalls. */
  synchronized void acceptOnly(int items) {
    writable = true;
    budget = items;
  }

  /** Accepts again and tells the subscription, like a transport turning writable. */
  void resume() {
    synchronized (this) {
      writable = true;
      budget = Integer.MAX_VALUE;
    }
    subscription.onWritable();
  }

  synchronized List<Object> items() {
    return new ArrayList<>(items);
  }

  synchronized List<Delivery> deliveries() {
    return new ArrayList<>(deliveries);
  }

  synchronized List<SharedEvents> batches() {
    return new ArrayList<>(batches);
  }

  synchronized List<Long> offsets() {
    List<Long> offsets = new ArrayList<>();
    for (Delivery delivery : deliveries) {
      offsets.add(delivery.offset());
    }
    return offsets;
  }

  synchronized List<Long> offsets(int shard) {
    List<Long> offsets = new ArrayList<>();
    for (Delivery delivery : deliveries) {
      if (delivery.shard() == shard) {
        offsets.add(delivery.offset());
      }
    }
    return offsets;
  }

  synchronized List<String> payloads() {
    List<String> payloads = new ArrayList<>();
    for (Delivery delivery : deliveries) {
      payloads.add(delivery.record().payload().toUtf8());
    }
    return payloads;
  }

  synchronized List<EventsDropped> notices() {
    List<EventsDropped> notices = new ArrayList<>();
    for (Object item : items) {
      if (item instanceof EventsDropped notice) {
        notices.add(notice);
      }
    }
    return notices;
  }

  synchronized int deliveredCount() {
    return deliveries.size();
  }

  synchronized FelixException closedWith() {
    return closedWith;
  }
}
