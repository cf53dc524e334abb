package dev.felix.broker.core;

import dev.felix.broker.StreamConfig;
import dev.felix.broker.storage.StreamFiles;
import dev.felix.error.ConflictException;
import dev.felix.error.ErrorCode;
import dev.felix.error.LimitException;
import dev.felix.error.NotFoundException;
import dev.felix.error.UnavailableException;
import dev.felix.wire.message.StreamRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All streams of the broker by {@code tenant/namespace/stream}, bounded by {@code maxStreams}.
 *
 * <p>Threading: lookups are lock-free ({@link ConcurrentHashMap#get}), so the data path never waits
 * on a creation; creations and {@link #close()} are serialised by {@link #createLock}, which makes
 * the limit check and the insert one step. {@code closed} is volatile for the lock-free path.
 */
public final class StreamRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(StreamRegistry.class);

  private final BrokerContext context;
  private final ConcurrentHashMap<StreamRef, Stream> streams = new ConcurrentHashMap<>();
  private final Object createLock = new Object();
  private volatile boolean closed;

  public StreamRegistry(BrokerContext context) {
    this.context = context;
  }

  /** The stream, or null. */
  public Stream find(StreamRef ref) {
    return streams.get(ref);
  }

  /**
   * The stream a publish or subscribe names, auto-creating it with the default settings when the
   * broker allows.
   *
   * @throws NotFoundException {@link ErrorCode#NOT_FOUND} when unknown and auto-create is off
   * @throws LimitException {@link ErrorCode#LIMIT_EXCEEDED} when creating it would exceed the
   *     stream limit
   */
  public Stream forUse(StreamRef ref) {
    Stream stream = streams.get(ref);
    if (stream != null) {
      return stream;
    }
    if (closed) {
      throw new UnavailableException(ErrorCode.UNAVAILABLE, "the broker is closed");
    }
    if (!context.config().autoCreateStreams()) {
      throw new NotFoundException(
          ErrorCode.NOT_FOUND, "stream " + ref + " does not exist and auto-create is off");
    }
    return create(ref, context.config().defaultStream(), false);
  }

  /**
   * Creates a stream.
   *
   * @param failIfExists true: an existing stream is {@link ErrorCode#ALREADY_EXISTS}; false: it is
   *     returned as is
   * @throws IllegalArgumentException when {@code config} does not fit the broker settings
   */
  public Stream create(StreamRef ref, StreamConfig config, boolean failIfExists) {
    synchronized (createLock) {
      Stream existing = streams.get(ref);
      if (existing != null) {
        if (failIfExists) {
          throw new ConflictException(ErrorCode.ALREADY_EXISTS, "stream " + ref + " exists");
        }
        return existing;
      }
      if (closed) {
        throw new UnavailableException(ErrorCode.UNAVAILABLE, "the broker is closed");
      }
      if (streams.size() >= context.config().maxStreams()) {
        context.counters().streamLimitRejections.increment();
        throw new LimitException(
            ErrorCode.LIMIT_EXCEEDED,
            "cannot create stream "
                + ref
                + ": the broker holds its maximum of "
                + context.config().maxStreams()
                + " streams");
      }
      context.config().validate(config);
      if (config.durable()) {
        // The definition first: a stream whose logs exist on disk is always reopened with it.
        context.storage().files().orElseThrow().writeDefinition(ref, config);
      }
      Stream stream = new Stream(ref, config, context);
      streams.put(ref, stream);
      context.counters().streams.incrementAndGet();
      context.counters().streamsCreated.increment();
      return stream;
    }
  }

  /**
   * Reopens every durable stream found under the data directory with the settings it was created
   * with (each shard's log recovers: torn tails are truncated, damaged sealed segments refuse the
   * open, so the broker refuses to start rather than serve a damaged stream silently).
   */
  public void recoverDurableStreams() {
    Optional<StreamFiles> files = context.storage().files();
    if (files.isEmpty()) {
      return;
    }
    for (StreamFiles.Found found : files.get().findAll()) {
      synchronized (createLock) {
        Stream stream = new Stream(found.ref(), found.config(), context);
        streams.put(found.ref(), stream);
        context.counters().streams.incrementAndGet();
      }
      LOG.info(
          "reopened durable stream {} ({} shards, {})",
          found.ref(),
          found.config().shards(),
          found.config().storage());
    }
  }

  /**
   * Deletes a stream: its subscriptions end with {@code UNAVAILABLE}, its logs close, and a durable
   * stream's files are removed.
   *
   * @return bytes of files removed (0 for a memory stream)
   * @throws NotFoundException {@link ErrorCode#NOT_FOUND}
   */
  public long delete(StreamRef ref) {
    Stream stream;
    synchronized (createLock) {
      stream = streams.remove(ref);
      if (stream == null) {
        throw new NotFoundException(ErrorCode.NOT_FOUND, "stream " + ref + " does not exist");
      }
      context.counters().streams.decrementAndGet();
    }
    stream.close();
    if (!stream.config().durable()) {
      return 0;
    }
    return context.storage().files().map(f -> f.delete(ref)).orElse(0L);
  }

  public int size() {
    return streams.size();
  }

  /** A snapshot of all streams. */
  public List<Stream> all() {
    return new ArrayList<>(streams.values());
  }

  /** Closes every stream (their subscriptions end with UNAVAILABLE); no creation afterwards. */
  public void close() {
    List<Stream> toClose;
    synchronized (createLock) {
      closed = true;
      toClose = all();
      streams.clear();
      context.counters().streams.set(0);
    }
    for (Stream stream : toClose) {
      stream.close();
    }
  }
}
