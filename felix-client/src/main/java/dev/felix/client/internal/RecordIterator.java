package dev.felix.client.internal;

import dev.felix.client.ReceivedRecord;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.UnavailableException;
import dev.felix.wire.message.StreamRef;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The blocking iterator of a polling subscription: {@code hasNext} waits until a record arrives or
 * the subscription is over; a subscription the broker ended throws its cause once drained.
 */
final class RecordIterator implements Iterator<ReceivedRecord> {
  private final ReceiveBuffer buffer;
  private final StreamRef stream;
  private ReceivedRecord next;

  RecordIterator(ReceiveBuffer buffer, StreamRef stream) {
    this.buffer = buffer;
    this.stream = stream;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    try {
      next = buffer.poll(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException(
          ErrorCode.UNAVAILABLE, "interrupted while waiting for records of " + stream, e);
    }
    if (next != null) {
      return true;
    }
    FelixException cause = buffer.failure();
    if (cause != null) {
      throw Waits.onCallerStack(cause);
    }
    return false;
  }

  @Override
  public ReceivedRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the subscription to " + stream + " is over");
    }
    ReceivedRecord record = next;
    next = null;
    return record;
  }
}
