package dev.felix.wire;

import dev.felix.error.ErrorCode;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.CacheChange;
import dev.felix.wire.message.CacheChanges;
import dev.felix.wire.message.CacheCompareAndSet;
import dev.felix.wire.message.CacheDelete;
import dev.felix.wire.message.CacheGet;
import dev.felix.wire.message.CacheMultiGet;
import dev.felix.wire.message.CacheMultiPut;
import dev.felix.wire.message.CacheMultiValue;
import dev.felix.wire.message.CachePut;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.CacheValue;
import dev.felix.wire.message.CacheWatch;
import dev.felix.wire.message.Credit;
import dev.felix.wire.message.CursorCommit;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.EventsDropped;
import dev.felix.wire.message.GoAway;
import dev.felix.wire.message.Header;
import dev.felix.wire.message.Hello;
import dev.felix.wire.message.HelloOk;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.Ok;
import dev.felix.wire.message.Ping;
import dev.felix.wire.message.Pong;
import dev.felix.wire.message.Publish;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.QueueAck;
import dev.felix.wire.message.QueueNack;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordCodec;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import dev.felix.wire.message.Subscribed;
import dev.felix.wire.message.Unsubscribe;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik arbitraries for every message of protocol v1, built only through the public constructors,
 * so they produce exactly the messages a peer can send. Each mixes typical values with the edges of
 * its layout: empty and maximum-size fields (128-character names, 255-byte client names, 4 KiB
 * keys, 64 headers, full batches), multi-byte UTF-8 and the extreme integers.
 *
 * <p>Batch sizes are bounded by {@link #LIMITS}, a copy of {@link WireLimits#DEFAULTS} with small
 * record and entry counts: a full batch is then still a typical try, not a slow one.
 */
public final class WireArbitraries {
  /** Records per batch and entries per list in generated messages; the decoder uses the same. */
  public static final int MAX_RECORDS = 24;

  public static final int MAX_ENTRIES = 24;

  /** The defaults, except for batch sizes. */
  public static final WireLimits LIMITS =
      new WireLimits(
          WireLimits.DEFAULTS.maxFramePayloadBytes(),
          MAX_RECORDS,
          WireLimits.DEFAULTS.maxKeyBytes(),
          WireLimits.DEFAULTS.maxHeadersPerRecord(),
          WireLimits.DEFAULTS.maxTokenBytes(),
          MAX_ENTRIES);

  private static final String NAME_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

  private static final Map<MessageType, Arbitrary<? extends Message>> BY_TYPE = byType();

  private WireArbitraries() {}

  /** Any message of any type; each type equally likely. */
  public static Arbitrary<Message> messages() {
    return Arbitraries.of(MessageType.values()).flatMap(WireArbitraries::messagesOf);
  }

  /** Messages of one type. */
  public static Arbitrary<Message> messagesOf(MessageType type) {
    Arbitrary<? extends Message> arbitrary = BY_TYPE.get(type);
    if (arbitrary == null) {
      throw new IllegalStateException("no arbitrary for " + type);
    }
    return arbitrary.map(message -> (Message) message);
  }

  /** The types that have an arbitrary (all of them; a test checks it). */
  public static Map<MessageType, Arbitrary<? extends Message>> byTypeMap() {
    return Collections.unmodifiableMap(BY_TYPE);
  }

  /** Encoded frames of any message type with any request id. */
  public static Arbitrary<byte[]> frames() {
    return Combinators.combine(messages(), Arbitraries.integers())
        .as((message, requestId) -> FrameCodec.encodeToArray(requestId, message));
  }

  private static Map<MessageType, Arbitrary<? extends Message>> byType() {
    Map<MessageType, Arbitrary<? extends Message>> map = new EnumMap<>(MessageType.class);
    map.put(MessageType.HELLO, hello());
    map.put(MessageType.HELLO_OK, helloOk());
    map.put(MessageType.PING, Arbitraries.longs().map(Ping::new));
    map.put(MessageType.PONG, Arbitraries.longs().map(Pong::new));
    map.put(MessageType.GO_AWAY, goAway());
    map.put(MessageType.OK, Arbitraries.just(Ok.INSTANCE));
    map.put(MessageType.ERROR, errorReply());
    map.put(MessageType.PUBLISH, Combinators.combine(publishTargets(), records()).as(Publish::new));
    map.put(
        MessageType.PUBLISH_BATCH,
        Combinators.combine(publishTargets(), publishRecords()).as(PublishBatch::new));
    map.put(MessageType.PUBLISH_ACK, publishAck());
    map.put(MessageType.SUBSCRIBE, subscribe());
    map.put(
        MessageType.SUBSCRIBED,
        Combinators.combine(subscriptionIds(), shardOffsets(0)).as(Subscribed::new));
    map.put(MessageType.UNSUBSCRIBE, subscriptionIds().map(Unsubscribe::new));
    map.put(MessageType.EVENT_BATCH, eventBatch());
    map.put(
        MessageType.EVENTS_DROPPED,
        Combinators.combine(subscriptionIds(), shards(), positiveLongs(), nonNegativeLongs())
            .as(EventsDropped::new));
    map.put(MessageType.CURSOR_COMMIT, cursorCommit());
    map.put(
        MessageType.QUEUE_ACK,
        Combinators.combine(subscriptionIds(), shardOffsets(1)).as(QueueAck::new));
    map.put(
        MessageType.QUEUE_NACK,
        Combinators.combine(subscriptionIds(), nonNegativeInts(), shardOffsets(1))
            .as(QueueNack::new));
    map.put(
        MessageType.CREDIT,
        Combinators.combine(subscriptionIds(), Arbitraries.integers().greaterOrEqual(1))
            .as(Credit::new));
    map.put(
        MessageType.CACHE_PUT,
        Combinators.combine(cacheRefs(), keys(), values(), nonNegativeLongs()).as(CachePut::new));
    map.put(MessageType.CACHE_GET, Combinators.combine(cacheRefs(), keys()).as(CacheGet::new));
    map.put(
        MessageType.CACHE_DELETE, Combinators.combine(cacheRefs(), keys()).as(CacheDelete::new));
    map.put(
        MessageType.CACHE_COMPARE_AND_SET,
        Combinators.combine(cacheRefs(), keys(), nonNegativeLongs(), values(), nonNegativeLongs())
            .as(CacheCompareAndSet::new));
    map.put(MessageType.CACHE_VALUE, cacheValues());
    map.put(
        MessageType.CACHE_MULTI_GET,
        Combinators.combine(cacheRefs(), lists(keys(), 1, MAX_ENTRIES)).as(CacheMultiGet::new));
    map.put(
        MessageType.CACHE_MULTI_PUT,
        Combinators.combine(
                cacheRefs(),
                lists(
                    Combinators.combine(keys(), values(), nonNegativeLongs())
                        .as(CacheMultiPut.Entry::new),
                    1,
                    MAX_ENTRIES))
            .as(CacheMultiPut::new));
    map.put(
        MessageType.CACHE_MULTI_VALUE,
        lists(cacheValues(), 0, MAX_ENTRIES).map(CacheMultiValue::new));
    map.put(
        MessageType.CACHE_WATCH,
        Combinators.combine(cacheRefs(), bytes(0, 24, LIMITS.maxKeyBytes())).as(CacheWatch::new));
    map.put(
        MessageType.CACHE_CHANGES,
        Combinators.combine(Arbitraries.of(true, false), lists(cacheChanges(), 0, MAX_ENTRIES))
            .as(CacheChanges::new));
    return map;
  }

  // ---- connection ----

  static Arbitrary<Hello> hello() {
    Arbitrary<int[]> versions =
        Arbitraries.integers()
            .between(1, 255)
            .flatMap(
                min -> Arbitraries.integers().between(min, 255).map(max -> new int[] {min, max}));
    return Combinators.combine(
            versions, Arbitraries.longs(), text(Hello.MAX_CLIENT_NAME_BYTES), tokens())
        .as((v, capabilities, name, token) -> new Hello(v[0], v[1], capabilities, name, token));
  }

  static Arbitrary<HelloOk> helloOk() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 255),
            Arbitraries.longs(),
            text(HelloOk.MAX_ID_BYTES),
            text(HelloOk.MAX_ID_BYTES),
            nonNegativeInts().list().ofSize(5))
        .as(
            (version, capabilities, serverId, region, limits) ->
                new HelloOk(
                    version,
                    capabilities,
                    serverId,
                    region,
                    limits.get(0),
                    limits.get(1),
                    limits.get(2),
                    limits.get(3),
                    limits.get(4)));
  }

  static Arbitrary<GoAway> goAway() {
    return Combinators.combine(
            Arbitraries.of(GoAway.Reason.class),
            nonNegativeInts(),
            text(GoAway.MAX_TEXT_BYTES),
            text(GoAway.MAX_TEXT_BYTES))
        .as(GoAway::new);
  }

  static Arbitrary<ErrorReply> errorReply() {
    Arbitrary<Integer> codes =
        Arbitraries.oneOf(
            Arbitraries.of(ErrorCode.values()).map(ErrorCode::code),
            Arbitraries.integers().between(0, 0xFFFF));
    return Combinators.combine(codes, text(ErrorReply.MAX_MESSAGE_BYTES)).as(ErrorReply::new);
  }

  static Arbitrary<Bytes> tokens() {
    return bytes(0, 64, LIMITS.maxTokenBytes());
  }

  // ---- streams ----

  /** Resource names: 1-128 characters of [A-Za-z0-9._-], not "." or "..". */
  public static Arbitrary<String> names() {
    Arbitrary<String> random =
        Arbitraries.strings()
            .withChars(NAME_CHARS)
            .ofMinLength(1)
            .ofMaxLength(Names.MAX_LENGTH)
            .filter(Names::isValid);
    return withEdges(
        random, List.of("a", "...", "n".repeat(Names.MAX_LENGTH), NAME_CHARS.substring(0, 64)));
  }

  public static Arbitrary<StreamRef> streamRefs() {
    return Combinators.combine(names(), names(), names()).as(StreamRef::new);
  }

  public static Arbitrary<CacheRef> cacheRefs() {
    return Combinators.combine(names(), names(), names()).as(CacheRef::new);
  }

  static Arbitrary<PublishTarget> publishTargets() {
    Arbitrary<long[]> idempotence =
        Arbitraries.oneOf(
            Arbitraries.just(new long[] {0, 0}),
            Combinators.combine(positiveLongs(), nonNegativeLongs())
                .as((producer, sequence) -> new long[] {producer, sequence}));
    return Combinators.combine(
            streamRefs(),
            Arbitraries.integers().between(PublishTarget.ANY_SHARD, Integer.MAX_VALUE),
            idempotence,
            Arbitraries.of(AckMode.class))
        .as((stream, shard, ids, ack) -> new PublishTarget(stream, shard, ids[0], ids[1], ack));
  }

  static Arbitrary<PublishAck> publishAck() {
    Arbitrary<PublishAck.Range> appended =
        Combinators.combine(shards(), nonNegativeLongs(), Arbitraries.integers().greaterOrEqual(1))
            .as(PublishAck.Range::appended);
    Arbitrary<PublishAck.Range> failed =
        Combinators.combine(
                Arbitraries.integers().greaterOrEqual(1),
                Arbitraries.integers().between(1, 0xFFFF),
                Arbitraries.integers(),
                Arbitraries.longs())
            .as(PublishAck.Range::new);
    return lists(Arbitraries.oneOf(appended, failed), 1, MAX_ENTRIES).map(PublishAck::new);
  }

  static Arbitrary<Subscribe> subscribe() {
    Arbitrary<StartPosition> starts =
        Arbitraries.oneOf(
            Arbitraries.of(StartPosition.LATEST, StartPosition.EARLIEST),
            nonNegativeLongs().map(StartPosition::offset),
            nonNegativeLongs().map(StartPosition::timestamp));
    return Combinators.combine(
            streamRefs(),
            Arbitraries.integers().between(-1, Integer.MAX_VALUE),
            starts,
            Arbitraries.of(0, Subscribe.FROM_EARLIEST_IF_OUT_OF_RANGE),
            names().injectNull(0.5),
            nonNegativeInts(),
            names().injectNull(0.5))
        .as(
            (stream, shard, start, options, group, maxInFlight, cursor) ->
                cursor == null || group != null
                    ? new Subscribe(stream, shard, start, options, group, maxInFlight)
                    : new Subscribe(
                        stream,
                        shard,
                        start,
                        options | Subscribe.CURSOR,
                        null,
                        maxInFlight,
                        cursor));
  }

  static Arbitrary<CursorCommit> cursorCommit() {
    // One entry per shard: the shard is the list index, so any list of offsets is a valid commit.
    return Combinators.combine(streamRefs(), names(), lists(nonNegativeLongs(), 1, MAX_ENTRIES))
        .as(
            (stream, cursor, offsets) -> {
              List<ShardOffset> entries = new ArrayList<>(offsets.size());
              for (int shard = 0; shard < offsets.size(); shard++) {
                entries.add(new ShardOffset(shard, offsets.get(shard)));
              }
              return new CursorCommit(stream, cursor, entries);
            });
  }

  static Arbitrary<EventBatch> eventBatch() {
    return Combinators.combine(
            subscriptionIds(),
            streamRefs(),
            shards(),
            nonNegativeLongs(),
            Arbitraries.oneOf(publishRecords(), eventRecordsWithGaps()))
        .as(EventBatch::new);
  }

  static Arbitrary<List<ShardOffset>> shardOffsets(int minSize) {
    return lists(
        Combinators.combine(shards(), nonNegativeLongs()).as(ShardOffset::new),
        minSize,
        MAX_ENTRIES);
  }

  // ---- records ----

  /** Header names: 1 to 255 UTF-8 bytes. */
  static Arbitrary<String> headerNames() {
    return text(Header.MAX_NAME_BYTES).filter(name -> !name.isEmpty());
  }

  static Arbitrary<Header> headers() {
    return Combinators.combine(headerNames(), bytes(0, 32, Header.MAX_VALUE_BYTES)).as(Header::new);
  }

  /** Mostly a few headers, sometimes the maximum count (64 under the defaults). */
  static Arbitrary<List<Header>> headerLists() {
    Arbitrary<List<Header>> few = headers().list().ofMaxSize(4);
    Arbitrary<List<Header>> many =
        Combinators.combine(text(8).filter(name -> !name.isEmpty()), bytes(0, 4, 8))
            .as(Header::new)
            .list()
            .ofSize(LIMITS.maxHeadersPerRecord());
    return Arbitraries.frequencyOf(Tuple.of(30, few), Tuple.of(1, many));
  }

  /** Records with or without key (possibly empty, possibly maximal), headers and payload. */
  public static Arbitrary<RecordData> records() {
    Arbitrary<Bytes> keys = bytes(0, 16, LIMITS.maxKeyBytes()).injectNull(0.4);
    Arbitrary<Long> timestamps = Arbitraries.oneOf(Arbitraries.just(0L), nonNegativeLongs());
    return Combinators.combine(keys, headerLists(), timestamps, bytes(0, 256, 4096))
        .as(RecordData::new);
  }

  /** 1 to MAX_RECORDS records with deltas 0..n-1: valid in a PublishBatch and an EventBatch. */
  public static Arbitrary<RecordBatch> publishRecords() {
    return lists(records(), 1, MAX_RECORDS).map(RecordBatch::of);
  }

  /** 1 to MAX_RECORDS records whose deltas start at 0 and grow by gaps of 1 or more. */
  public static Arbitrary<RecordBatch> eventRecordsWithGaps() {
    return lists(records(), 1, MAX_RECORDS)
        .flatMap(
            records ->
                Arbitraries.integers()
                    .between(1, 1_000_000)
                    .list()
                    .ofSize(records.size())
                    .map(gaps -> eventBatchBytes(records, gaps)));
  }

  private static RecordBatch eventBatchBytes(List<RecordData> records, List<Integer> gaps) {
    int size = 0;
    for (RecordData record : records) {
      size += RecordCodec.encodedSize(record);
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    int delta = 0;
    for (int i = 0; i < records.size(); i++) {
      RecordCodec.write(out, delta, records.get(i));
      delta += gaps.get(i);
    }
    out.flip();
    return RecordBatch.wrap(out, records.size(), RecordBatch.Kind.EVENT, LIMITS);
  }

  // ---- cache ----

  /** Cache keys: 1 to maxKeyBytes (4096 under the defaults). */
  static Arbitrary<Bytes> keys() {
    return bytes(1, 24, LIMITS.maxKeyBytes());
  }

  static Arbitrary<Bytes> values() {
    return bytes(0, 128, 64 * 1024);
  }

  static Arbitrary<CacheValue> cacheValues() {
    Arbitrary<CacheValue> hits =
        Combinators.combine(
                positiveLongs(), Arbitraries.longs().greaterOrEqual(-1), bytes(0, 64, 4096))
            .as(CacheValue::hit);
    return Arbitraries.frequencyOf(
        Tuple.of(4, hits), Tuple.of(1, Arbitraries.just(CacheValue.MISS)));
  }

  static Arbitrary<CacheChange> cacheChanges() {
    Arbitrary<CacheChange> written =
        Combinators.combine(
                Arbitraries.of(CacheChange.Kind.SNAPSHOT, CacheChange.Kind.PUT),
                keys(),
                positiveLongs(),
                Arbitraries.oneOf(Arbitraries.just(-1L), positiveLongs()),
                bytes(0, 64, 4096))
            .as(CacheChange::new);
    Arbitrary<CacheChange> removed =
        Combinators.combine(
                Arbitraries.of(
                    CacheChange.Kind.DELETE, CacheChange.Kind.EXPIRED, CacheChange.Kind.EVICTED),
                keys(),
                positiveLongs())
            .as(CacheChange::removal);
    return Arbitraries.oneOf(written, removed);
  }

  // ---- primitives ----

  static Arbitrary<Integer> subscriptionIds() {
    return Arbitraries.integers().greaterOrEqual(1);
  }

  static Arbitrary<Integer> shards() {
    return nonNegativeInts();
  }

  static Arbitrary<Integer> nonNegativeInts() {
    return Arbitraries.integers().greaterOrEqual(0);
  }

  static Arbitrary<Long> nonNegativeLongs() {
    return Arbitraries.longs().greaterOrEqual(0);
  }

  static Arbitrary<Long> positiveLongs() {
    return Arbitraries.longs().greaterOrEqual(1);
  }

  /**
   * Byte strings: mostly up to {@code typicalMax} bytes, sometimes exactly {@code min} or exactly
   * {@code max} (the edges that matter for length fields). Only the length shrinks: the content is
   * drawn in one go, because a shrinkable per byte makes 64 KiB values far too slow to generate.
   */
  static Arbitrary<Bytes> bytes(int min, int typicalMax, int max) {
    Arbitrary<Integer> lengths =
        Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.integers().between(min, typicalMax)),
            Tuple.of(1, Arbitraries.just(max)),
            Tuple.of(1, Arbitraries.just(min)));
    return lengths.flatMap(
        length ->
            Arbitraries.randomValue(
                random -> {
                  byte[] bytes = new byte[length];
                  random.nextBytes(bytes);
                  return Bytes.wrap(bytes);
                }));
  }

  /**
   * UTF-8 text of at most {@code maxBytes} bytes: ASCII, control characters, 2-, 3- and 4-byte
   * characters (the last are surrogate pairs in Java), never an unpaired surrogate. Edges: empty
   * and exactly {@code maxBytes} bytes of 1-, 2-, 3- and 4-byte characters. As with {@link #bytes},
   * only the length shrinks.
   */
  public static Arbitrary<String> text(int maxBytes) {
    Arbitrary<String> random =
        Arbitraries.integers()
            .between(0, Math.min(maxBytes, 300))
            .flatMap(
                codePoints -> Arbitraries.randomValue(r -> randomText(r, codePoints, maxBytes)));
    return withEdges(random, maximalTexts(maxBytes));
  }

  private static String randomText(Random random, int codePoints, int maxBytes) {
    StringBuilder out = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < codePoints; i++) {
      int cp = randomCodePoint(random);
      int width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + width > maxBytes) {
        break;
      }
      out.appendCodePoint(cp);
      bytes += width;
    }
    return out.toString();
  }

  private static int randomCodePoint(Random random) {
    int kind = random.nextInt(12);
    if (kind < 6) {
      return 0x20 + random.nextInt(0x7F - 0x20);
    } else if (kind == 6) {
      return random.nextInt(0x20);
    } else if (kind < 9) {
      return 0x80 + random.nextInt(0x800 - 0x80);
    } else if (kind < 11) {
      int cp = 0x800 + random.nextInt(0x10000 - 0x800 - 0x800);
      return cp < Character.MIN_SURROGATE ? cp : cp + 0x800; // skip D800-DFFF
    } else {
      return 0x10000 + random.nextInt(Character.MAX_CODE_POINT + 1 - 0x10000);
    }
  }

  /** Strings of exactly {@code maxBytes} UTF-8 bytes in each character width, and the empty one. */
  static List<String> maximalTexts(int maxBytes) {
    List<String> edges = new ArrayList<>();
    edges.add("");
    edges.add("x".repeat(maxBytes));
    edges.add("\u00e9".repeat(maxBytes / 2) + "x".repeat(maxBytes % 2));
    edges.add("\u2603".repeat(maxBytes / 3) + "x".repeat(maxBytes % 3));
    edges.add("\ud83d\ude00".repeat(maxBytes / 4) + "x".repeat(maxBytes % 4));
    return edges;
  }

  /**
   * Lists of {@code min} to {@code max} elements, exactly {@code max} in about one case in nine.
   */
  static <T> Arbitrary<List<T>> lists(Arbitrary<T> element, int min, int max) {
    return Arbitraries.frequencyOf(
        Tuple.of(8, element.list().ofMinSize(min).ofMaxSize(max)),
        Tuple.of(1, element.list().ofSize(max)));
  }

  private static <T> Arbitrary<T> withEdges(Arbitrary<T> random, List<T> edges) {
    return Arbitraries.frequencyOf(Tuple.of(8, random), Tuple.of(1, Arbitraries.of(edges)));
  }
}
