package dev.felix.client.internal;

import dev.felix.client.PublishReceipt;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.ProtocolException;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.PublishAck;
import java.util.List;

/**
 * A PublishBatch sent with ack LEADER, waiting for its PublishAck. The ack's ranges cover the
 * batch's records in order (protocol section 6.5): record {@code i} of a successful range has
 * offset {@code baseOffset + i}; a failed range fails all its records with its error code. An Error
 * instead of a PublishAck fails the whole batch.
 */
final class PublishBatchRequest implements PendingRequest {
  private final Publisher publisher;
  private final Session session;
  private final PublishLane lane;
  private final LaneKey key;
  private final PublishLane.Batch batch;
  private final long deadlineNanos;

  PublishBatchRequest(
      Publisher publisher,
      Session session,
      PublishLane lane,
      PublishLane.Batch batch,
      long deadlineNanos) {
    this.publisher = publisher;
    this.session = session;
    this.lane = lane;
    this.key = lane.key();
    this.batch = batch;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public long deadlineNanos() {
    return deadlineNanos;
  }

  @Override
  public String describe() {
    return "publish of " + batch.records().size() + " records to " + key.stream();
  }

  @Override
  public void onReply(Session s, Message reply) {
    try {
      if (reply instanceof PublishAck ack) {
        complete(ack);
      } else if (reply instanceof ErrorReply error) {
        // A shutting-down broker refuses with UNAVAILABLE what it has not appended, after its
        // GoAway: the session no longer sends, so an idempotent batch goes again on the next
        // connection. Without a GoAway it fails as before (resending on this connection could
        // only be refused again, as fast as the answers come).
        FelixException refused = error.toException();
        if (refused.code() != ErrorCode.UNAVAILABLE
            || session.isReady()
            || !publisher.resendOnNextConnection(lane, batch, refused)) {
          failAll(refused);
        }
      } else {
        failAll(
            new ProtocolException(
                ErrorCode.UNEXPECTED_MESSAGE,
                describe() + " was answered with " + reply.type() + " instead of PublishAck"));
      }
    } finally {
      lane.batchDone();
      publisher.onBatchDone(session, batch.frameBytes());
    }
  }

  @Override
  public void onFailure(FelixException error) {
    try {
      if (!publisher.resendOnNextConnection(lane, batch, error)) {
        failAll(error);
      }
    } finally {
      lane.batchDone();
      publisher.onBatchDone(session, batch.frameBytes());
    }
  }

  private void complete(PublishAck ack) {
    List<PendingRecord> records = batch.records();
    if (ack.recordCount() != records.size()) {
      // The decoder cannot check this (protocol section 15 item 6); the client must.
      FelixException error =
          new ProtocolException(
              ErrorCode.INVALID_ARGUMENT,
              "the PublishAck covers "
                  + ack.recordCount()
                  + " records but the batch had "
                  + records.size());
      failAll(error);
      publisher.callbacks().notify(l -> l.onError(error));
      return;
    }
    Completion completion = new Completion(publisher.callbacks());
    int index = 0;
    for (PublishAck.Range range : ack.ranges()) {
      FelixException failure = range.isSuccess() ? null : rangeFailure(range);
      for (int i = 0; i < range.recordCount(); i++) {
        PendingRecord record = records.get(index++);
        if (failure == null) {
          completion.succeed(
              record, new PublishReceipt(key.stream(), range.shard(), range.baseOffset() + i));
        } else {
          completion.fail(record, failure);
        }
      }
    }
    completion.finish();
  }

  private FelixException rangeFailure(PublishAck.Range range) {
    int code = range.errorCode();
    ErrorCode known = ErrorCode.fromCode(code);
    return FelixException.of(
        known,
        "publish to "
            + key.stream()
            + " failed: "
            + known
            + (ErrorCode.isDefined(code) ? "" : " (code " + code + ")"));
  }

  private void failAll(FelixException error) {
    Completion completion = new Completion(publisher.callbacks());
    for (PendingRecord record : batch.records()) {
      completion.fail(record, error);
    }
    completion.finish();
  }
}
