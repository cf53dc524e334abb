package dev.felix.client.internal;

import dev.felix.client.ReceivedRecord;
import dev.felix.client.RecordListener;
import dev.felix.client.SubscribeOptions;
import dev.felix.client.Subscription;
import dev.felix.error.ErrorCode;
import dev.felix.error.FelixException;
import dev.felix.error.LimitException;
import dev.felix.error.UnavailableException;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.EventsDropped;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import dev.felix.wire.message.Subscribed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One application subscription, across connections. It owns the receive buffer and, per shard, the
 * next offset it expects; each connection contributes {@link SubscriptionPart}s (the server
 * subscriptions), which it resumes after a reconnect with one Subscribe per shard from that next
 * offset, so that nothing is delivered twice and nothing is skipped while the broker retains it.
 *
 * <p><b>Threads.</b> Parts call in from the event loop, resumes come from the scheduler, {@code
 * poll}/{@code close} from application threads. {@code lock} guards {@code state} and {@code
 * positions}; events are offered to the buffer under it, so that the next offset and the buffer
 * never disagree. {@code parts} is copy-on-write so that the buffer's flow control can walk it
 * without this lock (lock order: this lock, then the buffer's).
 */
final class SubscriptionImpl implements Subscription, ReceiveBuffer.FlowControl {
  /**
   * Consumer-group membership: the Subscribe names the group, records may come again (redelivery),
   * and the position belongs to the group, so per-shard positions are neither kept nor resumed.
   *
   * @param name the group
   * @param maxInFlight the lease allowance asked for (0: the broker's default)
   */
  record Group(String name, int maxInFlight) {}

  private enum State {
    OPENING,
    ACTIVE,
    CLOSING,
    ENDED
  }

  private final StreamRef stream;
  private final SubscribeOptions options;
  private final SubscriptionManager manager;
  private final ClientContext context;
  private final ReceiveBuffer buffer;
  private final ListenerDispatch dispatcher;
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private final List<SubscriptionPart> parts = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private final ShardPositions positions = new ShardPositions();
  private final Group group;
  private final AckBatcher acks;
  private final CursorCommitter cursor;
  private volatile CompletableFuture<Void> finalCommit;
  private State state = State.OPENING;
  private volatile boolean active;
  private volatile FelixException failure;

  SubscriptionImpl(
      StreamRef stream,
      SubscribeOptions options,
      Group group,
      RecordListener listener,
      SubscriptionManager manager,
      ClientContext context) {
    this.stream = stream;
    this.options = options;
    this.group = group;
    this.acks = group == null ? null : new AckBatcher(context, this::livePart);
    this.manager = manager;
    this.context = context;
    this.cursor =
        options.cursor().isEmpty()
            ? null
            : new CursorCommitter(stream, options.cursor().get(), context, manager::readySession);
    int maxRecords =
        options.receiveBufferRecords() > 0
            ? options.receiveBufferRecords()
            : context.options().receiveBufferRecords();
    long maxBytes =
        options.receiveBufferBytes() > 0
            ? options.receiveBufferBytes()
            : context.options().receiveBufferBytes();
    this.buffer = new ReceiveBuffer(maxRecords, maxBytes, this);
    this.dispatcher =
        listener == null
            ? null
            : dispatch(
                group != null ? settling(listener) : cursor != null ? taking(listener) : listener);
  }

  /** A thread of its own, or turns on the client's listener pool (FelixOptions.listenerThreads). */
  private ListenerDispatch dispatch(RecordListener listener) {
    int poolThreads = context.options().listenerThreads();
    if (poolThreads > 0) {
      return new PooledRecordDispatcher(
          buffer,
          listener,
          context.callbacks(),
          stream.toString(),
          context.threads().listenerPool(poolThreads));
    }
    return new RecordDispatcher(
        context.threads(), buffer, listener, context.callbacks(), stream.toString());
  }

  /** A group handler's record is acked when the handler returns and nacked when it throws. */
  private RecordListener settling(RecordListener handler) {
    return record -> {
      try {
        handler.onRecord(record);
      } catch (RuntimeException e) {
        settle(record, false, 0);
        throw e;
      }
      settle(record, true, 0);
    };
  }

  /** A cursor subscription's record counts as taken once the listener returned. */
  private RecordListener taking(RecordListener handler) {
    return record -> {
      handler.onRecord(record);
      cursor.taken(record);
    };
  }

  /**
   * Acks or nacks one record through the live part of this member. Acks are batched ({@link
   * AckBatcher}); a nack first sends the acks waiting, then goes out alone. Without a live part
   * (the connection is gone) nothing is sent: the broker gave the lease back when the member left.
   */
  void settle(ReceivedRecord record, boolean ack, int delayMs) {
    if (group == null) {
      throw new IllegalStateException("only consumer-group members ack and nack");
    }
    ShardOffset position = new ShardOffset(record.shard(), record.offset());
    if (ack) {
      acks.ack(position);
      return;
    }
    acks.flush();
    SubscriptionPart live = livePart();
    if (live != null) {
      var unused =
          live.session()
              .queueNack(live.subscriptionId(), delayMs, List.of(position))
              .result()
              .whenComplete((ok, failure) -> AckBatcher.report(context, failure));
    }
  }

  /** The part on a ready connection, or null. */
  private SubscriptionPart livePart() {
    SubscriptionPart live = null;
    for (SubscriptionPart part : parts) {
      if (part.isLive() && part.session().isReady()) {
        live = part;
      }
    }
    return live;
  }

  Group group() {
    return group;
  }

  // ---- opening and resuming ----

  /** Sends the first Subscribe and waits for the broker's answer (caller's thread). */
  void open(Session session) {
    sendSubscribe(
        session,
        new SubscribeRequest(
            this,
            options.shard(),
            options.start(),
            false,
            cursor == null ? null : cursor.cursor(),
            session.deadline()));
    try {
      Waits.await(opened, context.requestTimeoutNanos() * 2, "Subscribe to " + stream);
    } catch (FelixException e) {
      synchronized (lock) {
        state = State.ENDED;
      }
      buffer.end(null);
      throw e;
    }
    if (dispatcher != null) {
      dispatcher.start();
    }
    if (cursor != null && options.autoCommit().isPresent()) {
      cursor.startAutoCommit(options.autoCommit().get().toNanos());
    }
  }

  /** Re-subscribes every shard without a live part on {@code session} (scheduler thread). */
  void resume(Session session) {
    List<ShardPositions.Target> targets;
    List<String> cursors = new ArrayList<>();
    synchronized (lock) {
      if (state != State.ACTIVE) {
        return;
      }
      Set<Integer> covered = new HashSet<>();
      for (SubscriptionPart part : parts) {
        if (part.session() == session && part.isLive()) {
          covered.add(part.shard());
        }
      }
      if (group != null) {
        // A member joins again with one Subscribe; the group knows where it stands.
        targets =
            covered.isEmpty()
                ? List.of(new ShardPositions.Target(options.shard(), options.start()))
                : List.of();
      } else {
        targets = positions.plan(options.shard(), options.start(), covered);
      }
      for (ShardPositions.Target target : targets) {
        // Only a shard never started here resumes at the cursor: the others continue exactly
        // after what was received, which is at or past the committed position.
        boolean atCursor = cursor != null && group == null && !positions.known(target.shard());
        cursors.add(atCursor ? cursor.cursor() : null);
      }
    }
    for (int i = 0; i < targets.size(); i++) {
      ShardPositions.Target target = targets.get(i);
      sendSubscribe(
          session,
          new SubscribeRequest(
              this, target.shard(), target.start(), true, cursors.get(i), session.deadline()));
    }
  }

  private void sendSubscribe(Session session, SubscribeRequest request) {
    if (!session.slots().tryAcquire(session.limits().maxSubscriptions())) {
      onPartRefused(
          request,
          session,
          new LimitException(
              ErrorCode.LIMIT_EXCEEDED,
              "the broker allows "
                  + session.limits().maxSubscriptions()
                  + " subscriptions per connection (a resumed subscription takes one per shard)"));
      return;
    }
    request.holdSlot(session);
    int flags = options.fromEarliestIfOutOfRange() ? Subscribe.FROM_EARLIEST_IF_OUT_OF_RANGE : 0;
    Subscribe subscribe =
        group == null
            ? new Subscribe(stream, request.shard(), request.start(), flags, null, 0)
            : new Subscribe(
                stream, request.shard(), request.start(), flags, group.name(), group.maxInFlight());
    if (request.cursor() != null) {
      subscribe = subscribe.withCursor(request.cursor());
    }
    session.send(subscribe, request, false);
  }

  /** Subscribed arrived on a new stream (event loop): bind it, or end it when unwanted. */
  StreamListener onPartOpened(
      SubscribeRequest request, Session session, FrameStream partStream, Subscribed subscribed) {
    SubscriptionPart part =
        new SubscriptionPart(
            this, session, partStream, subscribed.subscriptionId(), request.shard());
    request.transferSlot();
    List<ShardPositions.Gap> gaps = List.of();
    boolean keep;
    synchronized (lock) {
      keep = (state == State.OPENING || state == State.ACTIVE) && !session.isClosed();
      if (keep) {
        if (group == null) {
          gaps = positions.onSubscribed(subscribed, request.shard(), request.resume());
        }
        parts.add(part);
        state = State.ACTIVE;
        active = true;
      }
    }
    if (!keep) {
      part.detach();
      session.unsubscribe(part.subscriptionId());
      return part;
    }
    if (buffer.isPaused()) {
      partStream.pauseReading();
    }
    for (ShardPositions.Gap gap : gaps) {
      context
          .callbacks()
          .notify(l -> l.onResumeGap(this, gap.shard(), gap.expected(), gap.resumed()));
    }
    opened.complete(null);
    return part;
  }

  /** A Subscribe failed (Error, timeout, connection lost, local limit). Any thread. */
  void onPartRefused(SubscribeRequest request, Session session, FelixException error) {
    request.releaseSlot();
    State current;
    synchronized (lock) {
      if (group == null) {
        positions.resumeFailed(request.shard());
      }
      current = state;
    }
    if (!request.resume()) {
      opened.completeExceptionally(error);
      return;
    }
    if (current != State.ACTIVE) {
      return;
    }
    if (group == null
        && error.code() == ErrorCode.OFFSET_OUT_OF_RANGE
        && options.fromEarliestIfOutOfRange()
        && request.start().kind() == StartPosition.Kind.OFFSET
        && session != null
        && session.isReady()) {
      // The fallback option covers offsets below the retained start; one beyond the end (the
      // broker's log restarted) is refused even so (protocol section 15 item 13). Start that
      // shard from the earliest record; onPartOpened reports the gap.
      synchronized (lock) {
        positions.markResuming(request.shard());
      }
      sendSubscribe(
          session,
          new SubscribeRequest(
              this, request.shard(), StartPosition.EARLIEST, true, null, session.deadline()));
      return;
    }
    if (isRetryable(error)) {
      manager.scheduleResume(this);
      return;
    }
    fail(error);
  }

  private boolean isRetryable(FelixException error) {
    return error.code().category() == ErrorCode.Category.UNAVAILABLE
        || error.code() == ErrorCode.BACKPRESSURE;
  }

  /** The connection of these parts is gone; the next session resumes them. */
  void onSessionLost(Session session) {
    List<SubscriptionPart> lost = new ArrayList<>();
    parts.removeIf(
        part -> {
          boolean gone = part.session() == session;
          if (gone) {
            lost.add(part);
          }
          return gone;
        });
    lost.forEach(SubscriptionPart::detach);
  }

  // ---- events (event loop) ----

  void onEvents(SubscriptionPart part, EventBatch batch) {
    if ((part.shard() >= 0 && batch.shard() != part.shard()) || !batch.stream().equals(stream)) {
      onProtocolViolation(
          new dev.felix.error.ProtocolException(
              ErrorCode.INVALID_ARGUMENT,
              "events of "
                  + batch.stream()
                  + " shard "
                  + batch.shard()
                  + " on a subscription to "
                  + stream
                  + (part.shard() < 0 ? "" : " shard " + part.shard())));
      return;
    }
    synchronized (lock) {
      if (state != State.ACTIVE || !part.isLive()) {
        return;
      }
      // Group members get redeliveries (offsets seen before): every record is admitted.
      long floor = group == null ? positions.admit(batch) : batch.baseOffset();
      if (floor != ShardPositions.DUPLICATE) {
        buffer.offer(new ReceiveBuffer.Chunk(batch, floor));
      }
    }
  }

  void onDropped(SubscriptionPart part, EventsDropped dropped) {
    synchronized (lock) {
      if (state != State.ACTIVE || !part.isLive()) {
        return;
      }
      if (group == null) {
        positions.onDropped(dropped.shard(), dropped.nextOffset());
      }
    }
    context
        .callbacks()
        .notify(
            l ->
                l.onEventsDropped(
                    this, dropped.shard(), dropped.droppedCount(), dropped.nextOffset()));
  }

  /** The server ended one part: Error on its stream, or its stream closed without one. */
  void onPartEnded(SubscriptionPart part, FelixException cause) {
    parts.remove(part);
    State current;
    synchronized (lock) {
      current = state;
    }
    if (current != State.ACTIVE) {
      return;
    }
    if (isRetryable(cause) && context.options().reconnect().enabled()) {
      // UNAVAILABLE: the broker is shutting down or moving the subscription; resume it.
      manager.scheduleResume(this);
      return;
    }
    fail(cause);
  }

  void onProtocolViolation(FelixException error) {
    context.callbacks().notify(l -> l.onError(error));
  }

  // ---- ending ----

  /** Ends the subscription because of {@code cause}; buffered records stay for the consumer. */
  void fail(FelixException cause) {
    List<SubscriptionPart> ending;
    synchronized (lock) {
      if (state == State.CLOSING || state == State.ENDED) {
        return;
      }
      state = State.ENDED;
      active = false;
      failure = cause;
      ending = new ArrayList<>(parts);
      parts.clear();
    }
    if (cursor != null) {
      // The application may still commit what it takes from the buffer; nothing does it for it.
      cursor.cancelAutoCommit();
    }
    for (SubscriptionPart part : ending) {
      part.detach();
      if (!part.session().isClosed()) {
        part.session().unsubscribe(part.subscriptionId());
      }
    }
    buffer.end(cause);
    manager.remove(this);
    context.callbacks().notify(l -> l.onSubscriptionEnded(this, cause));
  }

  @Override
  public void close() {
    long deadline = System.nanoTime() + context.requestTimeoutNanos();
    List<SimpleRequest> unsubscribes = startClose();
    awaitFinalCommit(deadline);
    awaitUnsubscribed(unsubscribes, deadline);
  }

  /**
   * Waits (bounded) for the commit sent on close; a failure is reported to the listener, not
   * thrown, since the subscription is over either way and the records simply come again.
   */
  void awaitFinalCommit(long deadlineNanos) {
    CompletableFuture<Void> commit = finalCommit;
    if (commit == null) {
      return;
    }
    try {
      Waits.await(commit, deadlineNanos - System.nanoTime(), "final commit of " + stream);
    } catch (FelixException e) {
      context.callbacks().notify(l -> l.onError(e));
    }
  }

  /**
   * Ends the subscription locally at once (buffer discarded, listener stopped) and sends an
   * Unsubscribe per part; returns those requests. Empty when already closed or ended.
   */
  List<SimpleRequest> startClose() {
    if (acks != null) {
      acks.flush(); // before the Unsubscribe, so the broker applies them before the leave
    }
    List<SubscriptionPart> ending;
    synchronized (lock) {
      if (state == State.CLOSING || state == State.ENDED) {
        return List.of();
      }
    }
    if (cursor != null && options.autoCommit().isPresent()) {
      // Sent before the Unsubscribe on the same control stream; the listener stopped taking.
      finalCommit = cursor.stop();
    }
    synchronized (lock) {
      if (state == State.CLOSING || state == State.ENDED) {
        return List.of();
      }
      state = State.CLOSING;
      active = false;
      ending = new ArrayList<>(parts);
      parts.clear();
    }
    buffer.clear();
    buffer.end(null);
    List<SimpleRequest> unsubscribes = new ArrayList<>();
    for (SubscriptionPart part : ending) {
      part.detach();
      if (!part.session().isClosed()) {
        unsubscribes.add(part.session().unsubscribe(part.subscriptionId()));
      }
    }
    manager.remove(this);
    if (dispatcher != null) {
      dispatcher.stop(context.options().requestTimeout().toMillis());
    }
    synchronized (lock) {
      state = State.ENDED;
    }
    return unsubscribes;
  }

  /**
   * Waits until {@code deadlineNanos} for the Oks. Only a missing answer is an error: NOT_FOUND
   * (already gone) and a lost connection (gone with it) end the subscription just as well.
   */
  void awaitUnsubscribed(List<SimpleRequest> unsubscribes, long deadlineNanos) {
    // A little beyond the request timeout, so that the request's own TIMEOUT comes first.
    long deadline = deadlineNanos + TimeUnit.MILLISECONDS.toNanos(200);
    for (SimpleRequest request : unsubscribes) {
      try {
        Waits.await(request.result(), deadline - System.nanoTime(), request.describe());
      } catch (FelixException e) {
        if (e.code() == ErrorCode.TIMEOUT) {
          throw new UnavailableException(
              ErrorCode.TIMEOUT,
              "the broker did not confirm the unsubscribe from "
                  + stream
                  + "; the subscription is closed locally",
              e);
        }
      }
    }
  }

  /** Waits (bounded) until a listener received every buffered record after a server end. */
  void awaitDispatched(long boundMillis) {
    if (dispatcher != null) {
      dispatcher.awaitDrained(boundMillis);
    }
  }

  // ---- flow control (under the buffer's lock) ----

  @Override
  public void pause() {
    for (SubscriptionPart part : parts) {
      part.stream().pauseReading();
    }
  }

  @Override
  public void resume() {
    for (SubscriptionPart part : parts) {
      part.stream().resumeReading();
    }
  }

  // ---- Subscription ----

  @Override
  public StreamRef stream() {
    return stream;
  }

  @Override
  public SubscribeOptions options() {
    return options;
  }

  @Override
  public ReceivedRecord poll(Duration timeout) throws InterruptedException {
    requirePolling();
    ReceivedRecord record = buffer.poll(timeout.toNanos());
    if (record != null && cursor != null) {
      cursor.taken(record);
    }
    return record;
  }

  @Override
  public Iterator<ReceivedRecord> iterator() {
    requirePolling();
    Iterator<ReceivedRecord> records = new RecordIterator(buffer, stream);
    if (cursor == null) {
      return records;
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public ReceivedRecord next() {
        ReceivedRecord record = records.next();
        cursor.taken(record);
        return record;
      }
    };
  }

  @Override
  public void commit() {
    Waits.await(commitAsync(), context.requestTimeoutNanos() * 2, "commit of " + stream);
  }

  @Override
  public CompletableFuture<Void> commitAsync() {
    if (cursor == null) {
      throw new IllegalStateException(
          "this subscription has no cursor (SubscribeOptions.Builder.cursor)");
    }
    return cursor.commitAsync();
  }

  private void requirePolling() {
    if (dispatcher != null) {
      throw new IllegalStateException(
          "this subscription delivers to a RecordListener; poll and iterator are not available");
    }
  }

  @Override
  public Map<Integer, Long> nextOffsets() {
    synchronized (lock) {
      return positions.snapshot();
    }
  }

  @Override
  public int bufferedRecords() {
    return buffer.records();
  }

  @Override
  public boolean isActive() {
    return active;
  }

  @Override
  public Optional<FelixException> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public String toString() {
    return "Subscription[" + stream + ", " + options + "]";
  }
}
