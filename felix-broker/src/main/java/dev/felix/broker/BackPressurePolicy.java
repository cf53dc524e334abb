package dev.felix.broker;

import java.util.Locale;

/**
 * What a memory stream does when a subscription's send queue (bounded in bytes) cannot take the
 * next event batch. Chosen per stream; the configuration names are the lower-case names below.
 */
public enum BackPressurePolicy {
  /**
   * Lossless: the batch is queued anyway (the queue may exceed its bound by at most one batch), and
   * publishes to that stream are answered {@link PublishResult.Status#BLOCKED} until the queue is
   * below its bound again. Publishers of other streams, and other subscribers' deliveries, are not
   * affected. The log also keeps every record a lagging subscriber of this stream has not read: an
   * append that would evict one is held back the same way.
   */
  BLOCK,
  /**
   * Queue the new batch and drop the oldest queued batches until it fits; the subscriber gets an
   * {@code EventsDropped} notice where the dropped batches were.
   */
  DROP_OLDEST,
  /**
   * Drop the new batch; the subscriber gets an {@code EventsDropped} notice before the next batch
   * it does receive.
   */
  DROP_NEWEST,
  /**
   * End the subscription with {@code SLOW_CONSUMER}; the subscriber may resubscribe from its
   * offset.
   */
  DISCONNECT;

  /** The configuration spelling: {@code block}, {@code drop_oldest}, ... */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a configuration spelling.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static BackPressurePolicy fromConfigName(String name) {
    for (BackPressurePolicy policy : values()) {
      if (policy.configName().equals(name)) {
        return policy;
      }
    }
    throw new IllegalArgumentException(
        "unknown back-pressure policy '"
            + name
            + "'; expected block, drop_oldest, drop_newest or disconnect");
  }
}
