package dev.felix.broker.core;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens after a {@link ConsumerGroup} asked to dead-letter a record: the append succeeded
 * (the record is done, the position may pass it), or it failed or was held back (tried again after
 * {@link #RETRY_NANOS}, the failure logged once until one succeeds: a broken target fails every
 * record).
 *
 * <p>Threading: completions arrive on any thread and take the group's lock; {@code failureLogged}
 * is guarded by it.
 */
final class DeadLetterOutcomes {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterOutcomes.class);

  /** A dead letter the dead-letter stream held back is tried again after this long. */
  static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final ConsumerGroup group;
  private final GroupCounters counters;
  private final PositionRecorder recorder;
  private final BrokerContext context;
  private boolean failureLogged;

  DeadLetterOutcomes(
      ConsumerGroup group,
      GroupCounters counters,
      PositionRecorder recorder,
      BrokerContext context) {
    this.group = group;
    this.counters = counters;
    this.recorder = recorder;
    this.context = context;
  }

  /** The dead-letter append completed, with {@code failure} or without. */
  void done(GroupShard state, GroupShard.Entry entry, Throwable failure) {
    group.lock().lock();
    try {
      if (group.isClosed()) {
        return;
      }
      if (failure != null) {
        logFailureLocked(failure);
        retryLater(state, entry);
        return;
      }
      failureLogged = false;
      state.markDone(entry);
      counters.addDeadLettered(1);
      recorder.done(state, entry.offset);
    } finally {
      group.lock().unlock();
    }
    group.scheduleStep();
  }

  /** Queues the record for dead-lettering again after {@link #RETRY_NANOS}. */
  void retryLater(GroupShard state, GroupShard.Entry entry) {
    var unused =
        context
            .scheduler()
            .schedule(
                RETRY_NANOS,
                () -> {
                  group.lock().lock();
                  try {
                    state.retryDeadLetter(entry);
                  } finally {
                    group.lock().unlock();
                  }
                  group.scheduleStep();
                });
  }

  /** Logged once until a dead letter succeeds again. */
  void logFailureLocked(Throwable failure) {
    if (!failureLogged) {
      failureLogged = true;
      LOG.warn("dead-lettering for group {} failed; retrying", group, failure);
    }
  }
}
