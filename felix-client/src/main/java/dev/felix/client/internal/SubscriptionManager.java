package dev.felix.client.internal;

import dev.felix.client.ConsumerOptions;
import dev.felix.client.QueueConsumer;
import dev.felix.client.RecordListener;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import dev.felix.error.FelixException;
import dev.felix.wire.message.StreamRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's open subscriptions: opens them, resumes them all on each new connection, ends them
 * all when the client closes.
 *
 * <p><b>Threads:</b> thread-safe; session changes arrive on the scheduler thread.
 */
final class SubscriptionManager implements SessionObserver {
  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionManager.class);

  private final ClientContext context;
  private final Set<SubscriptionImpl> open = ConcurrentHashMap.newKeySet();
  private volatile Session session;

  SubscriptionManager(ClientContext context) {
    this.context = context;
  }

  /** Opens a subscription on {@code ready} and waits for the broker's answer. */
  Subscription subscribe(
      Session ready, StreamRef stream, SubscribeOptions options, RecordListener listener) {
    SubscriptionImpl subscription =
        new SubscriptionImpl(stream, options, null, listener, this, context);
    // Registered before the Subscribe goes out, so that a loss meanwhile still resumes it.
    open.add(subscription);
    try {
      subscription.open(ready);
    } catch (RuntimeException e) {
      open.remove(subscription);
      throw e;
    }
    return subscription;
  }

  /** Joins a consumer group on {@code ready} and waits for the broker's answer. */
  QueueConsumer join(
      Session ready,
      StreamRef stream,
      String group,
      ConsumerOptions options,
      RecordListener handler) {
    SubscribeOptions subscribe =
        SubscribeOptions.builder()
            .start(options.start())
            .shard(options.shard())
            .receiveBufferRecords(options.receiveBufferRecords())
            .build();
    SubscriptionImpl member =
        new SubscriptionImpl(
            stream,
            subscribe,
            new SubscriptionImpl.Group(group, options.maxInFlight()),
            handler,
            this,
            context);
    open.add(member);
    try {
      member.open(ready);
    } catch (RuntimeException e) {
      open.remove(member);
      throw e;
    }
    return new QueueConsumerImpl(member);
  }

  void remove(SubscriptionImpl subscription) {
    open.remove(subscription);
  }

  int size() {
    return open.size();
  }

  /** The connection that takes new Subscribes now, or null. */
  Session readySession() {
    Session s = session;
    return s != null && s.isReady() ? s : null;
  }

  /**
   * Resumes {@code subscription} on the current connection after the initial back-off (a server
   * ended part of it with UNAVAILABLE). Without a ready connection nothing is needed: the next
   * connection resumes every subscription.
   */
  void scheduleResume(SubscriptionImpl subscription) {
    if (readySession() == null) {
      return;
    }
    var unused =
        context
            .threads()
            .schedule(
                () -> {
                  Session s = readySession();
                  if (s != null) {
                    subscription.resume(s);
                  }
                },
                context.options().reconnect().initialBackoff().toNanos());
  }

  @Override
  public void onSessionReady(Session ready, boolean reconnected) {
    session = ready;
    if (reconnected) {
      for (SubscriptionImpl subscription : open) {
        subscription.resume(ready);
      }
    }
  }

  @Override
  public void onSessionDraining(Session draining) {
    if (session == draining) {
      session = null;
    }
  }

  @Override
  public void onSessionLost(Session lost, FelixException cause) {
    if (session == lost) {
      session = null;
    }
    for (SubscriptionImpl subscription : open) {
      subscription.onSessionLost(lost);
    }
  }

  /**
   * Unsubscribes everything (client close): every Unsubscribe is sent first, then the Oks are
   * awaited together until {@code deadlineNanos}. A broker that does not answer is only logged.
   */
  void closeAll(long deadlineNanos) {
    List<SubscriptionImpl> closing = new ArrayList<>(open);
    List<List<SimpleRequest>> requests = new ArrayList<>();
    for (SubscriptionImpl subscription : closing) {
      requests.add(subscription.startClose());
    }
    for (int i = 0; i < closing.size(); i++) {
      try {
        closing.get(i).awaitFinalCommit(deadlineNanos);
        closing.get(i).awaitUnsubscribed(requests.get(i), deadlineNanos);
      } catch (FelixException e) {
        LOG.debug("unsubscribe during close: {}", e.getMessage());
      }
    }
  }

  /** Ends everything with {@code cause} (the client gave up reconnecting). */
  void failAll(FelixException cause) {
    List<SubscriptionImpl> ending = new ArrayList<>(open);
    for (SubscriptionImpl subscription : ending) {
      subscription.fail(cause);
    }
  }
}
