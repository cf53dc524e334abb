package dev.felix.broker.core;

/**
 * A consumer group's counters (see {@link dev.felix.broker.GroupInfo} for their metric names).
 *
 * <p>Threading: written only under the group's lock (one writer at a time, so read-then-write is
 * safe); volatile so that gauges and the admin API read them without the lock.
 */
final class GroupCounters {
  /** How many counters {@link #values()} holds (stored with a durable group's positions). */
  static final int PERSISTED = 8;

  volatile long acks;
  volatile long nacks;
  volatile long redeliveries;
  volatile long expiredLeases;
  volatile long deadLettered;
  volatile long staleAcks;
  volatile long lostRecords;
  volatile long windowFull;

  void addAcks(long n) {
    long value = acks;
    acks = value + n;
  }

  void addNacks(long n) {
    long value = nacks;
    nacks = value + n;
  }

  void addRedeliveries(long n) {
    long value = redeliveries;
    redeliveries = value + n;
  }

  void addExpiredLeases(long n) {
    long value = expiredLeases;
    expiredLeases = value + n;
  }

  void addDeadLettered(long n) {
    long value = deadLettered;
    deadLettered = value + n;
  }

  void addStaleAcks(long n) {
    long value = staleAcks;
    staleAcks = value + n;
  }

  void addLostRecords(long n) {
    long value = lostRecords;
    lostRecords = value + n;
  }

  void addWindowFull(long n) {
    long value = windowFull;
    windowFull = value + n;
  }

  /**
   * The counters in a fixed order: acks, nacks, redeliveries, expired, dead-lettered, stale, lost,
   * window full.
   */
  long[] values() {
    return new long[] {
      acks, nacks, redeliveries, expiredLeases, deadLettered, staleAcks, lostRecords, windowFull
    };
  }

  /** Continues from stored counters (a restart), in the order of {@link #values()}. */
  void restore(long[] values) {
    if (values.length < PERSISTED) {
      return;
    }
    acks = values[0];
    nacks = values[1];
    redeliveries = values[2];
    expiredLeases = values[3];
    deadLettered = values[4];
    staleAcks = values[5];
    lostRecords = values[6];
    windowFull = values[7];
  }
}
