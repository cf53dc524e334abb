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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The golden vectors of protocol v1: hand-written hex files under {@code
 * src/test/resources/dev/felix/wire/vectors/} and, for each, the frame it must decode to, built
 * here in Java. The two are written independently; {@code GoldenVectorTest} checks that they agree
 * in both directions.
 */
public final class GoldenVectors {
  public static final StreamRef ORDERS = new StreamRef("acme", "prod", "orders");
  public static final CacheRef SESSIONS = new CacheRef("acme", "prod", "sessions");

  /** 2023-11-14T22:13:20Z. */
  static final long TIMESTAMP = 1_700_000_000_000L;

  private static final String DIRECTORY = "vectors/";
  private static final Map<String, Frame> EXPECTED = buildExpected();

  private GoldenVectors() {}

  /** Vector name (file name without {@code .hex}) to the frame it encodes, in file order. */
  public static Map<String, Frame> expected() {
    return EXPECTED;
  }

  public static Frame expected(String name) {
    Frame frame = EXPECTED.get(name);
    if (frame == null) {
      throw new IllegalArgumentException("no expected frame for vector " + name);
    }
    return frame;
  }

  /** The bytes of vector {@code name}, parsed from its commented hex file. */
  public static byte[] bytes(String name) {
    try (InputStream in = GoldenVectors.class.getResourceAsStream(DIRECTORY + name + ".hex")) {
      if (in == null) {
        throw new IllegalArgumentException("no vector file " + name + ".hex");
      }
      return HexFormat.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The names of every {@code .hex} file in the vectors directory, sorted. */
  public static List<String> fileNames() {
    URL directory = GoldenVectors.class.getResource(DIRECTORY);
    if (directory == null) {
      throw new IllegalStateException("vectors directory missing from the test classpath");
    }
    try (Stream<Path> files = Files.list(Paths.get(directory.toURI()))) {
      return files
          .map(path -> path.getFileName().toString())
          .filter(file -> file.endsWith(".hex"))
          .map(file -> file.substring(0, file.length() - ".hex".length()))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every vector file's bytes, keyed by name. */
  public static Map<String, byte[]> allBytes() {
    Map<String, byte[]> all = new LinkedHashMap<>();
    for (String name : fileNames()) {
      all.put(name, bytes(name));
    }
    return Collections.unmodifiableMap(all);
  }

  private static Map<String, Frame> buildExpected() {
    Map<String, Frame> frames = new LinkedHashMap<>();
    connection(frames);
    streams(frames);
    queues(frames);
    cache(frames);
    return Collections.unmodifiableMap(frames);
  }

  private static void connection(Map<String, Frame> frames) {
    long fourCapabilities =
        Capabilities.IDEMPOTENT_PRODUCER
            | Capabilities.QUEUES
            | Capabilities.CACHE
            | Capabilities.CACHE_MULTI;
    frames.put("hello", new Frame(1, new Hello(1, 1, fourCapabilities, "felix-cli", utf8("tok"))));
    frames.put(
        "hello-unicode-no-token",
        new Frame(
            -1,
            new Hello(
                1,
                2,
                Capabilities.COMPRESSION | Capabilities.IDEMPOTENT_PRODUCER,
                "Z\u00fcrich-\u2603-\ud83d\ude00",
                Bytes.EMPTY)));
    frames.put(
        "hello-ok",
        new Frame(
            1,
            new HelloOk(
                1,
                fourCapabilities,
                "felix-0",
                "eu-west",
                8 * 1024 * 1024,
                10_000,
                64 * 1024 * 1024,
                1024,
                30_000)));
    frames.put("ping", new Frame(7, new Ping(0x0123_4567_89ab_cdefL)));
    frames.put("pong", new Frame(7, new Pong(-2)));
    frames.put(
        "go-away",
        new Frame(0, new GoAway(GoAway.Reason.REDIRECT, 5000, "10.0.0.2:7400", "draining")));
    frames.put("ok", new Frame(42, Ok.INSTANCE));
    frames.put("error", new Frame(9, new ErrorReply(ErrorCode.NOT_FOUND, "stream not found")));
    frames.put("error-unknown-code", new Frame(10, new ErrorReply(999, "")));
  }

  private static void streams(Map<String, Frame> frames) {
    frames.put(
        "publish",
        new Frame(100, new Publish(PublishTarget.of(ORDERS, AckMode.LEADER), RecordData.of("hi"))));
    frames.put(
        "publish-key-headers",
        new Frame(
            101,
            new Publish(
                new PublishTarget(ORDERS, 3, 77, 5, AckMode.NONE),
                new RecordData(
                    utf8("user-1"),
                    List.of(Header.of("trace", "abc"), Header.of("ct", "json")),
                    TIMESTAMP,
                    utf8("{}")))));
    frames.put(
        "publish-empty-key-empty-payload",
        new Frame(
            102,
            new Publish(
                new PublishTarget(ORDERS, 0, 1, 0, AckMode.LEADER),
                new RecordData(
                    Bytes.EMPTY, List.of(new Header("h", Bytes.EMPTY)), 0, Bytes.EMPTY))));
    frames.put(
        "publish-batch",
        new Frame(
            103,
            new PublishBatch(
                new PublishTarget(ORDERS, -1, 0x0102_0304_0506_0708L, 100, AckMode.LEADER),
                RecordBatch.of(
                    List.of(
                        RecordData.of("a"),
                        new RecordData(utf8("k"), List.of(), 0, Bytes.EMPTY),
                        new RecordData(null, List.of(Header.of("x", "y")), 5, utf8("z")))))));
    frames.put(
        "publish-ack",
        new Frame(
            103,
            new PublishAck(
                List.of(
                    PublishAck.Range.appended(2, 1000, 3),
                    PublishAck.Range.failed(ErrorCode.MESSAGE_TOO_LARGE, 1)))));
    frames.put("publish-ack-single", new Frame(100, PublishAck.appended(0, 0, 1)));
    frames.put("subscribe", new Frame(200, Subscribe.of(ORDERS, StartPosition.EARLIEST)));
    frames.put(
        "subscribe-group",
        new Frame(
            201,
            new Subscribe(
                ORDERS,
                2,
                StartPosition.offset(12345),
                Subscribe.FROM_EARLIEST_IF_OUT_OF_RANGE,
                "billing",
                500)));
    frames.put(
        "subscribed",
        new Frame(200, new Subscribed(5, List.of(new ShardOffset(0, 10), new ShardOffset(1, 0)))));
    frames.put(
        "subscribe-cursor",
        new Frame(203, Subscribe.of(ORDERS, StartPosition.EARLIEST).withCursor("reporter")));
    frames.put(
        "cursor-commit",
        new Frame(
            204,
            new CursorCommit(
                ORDERS, "reporter", List.of(new ShardOffset(0, 42), new ShardOffset(1, 7)))));
    frames.put("unsubscribe", new Frame(202, new Unsubscribe(5)));
    frames.put("event-batch", new Frame(0, eventBatch()));
    frames.put("event-batch-gap", new Frame(0, eventBatchWithGap()));
    frames.put("events-dropped", new Frame(0, new EventsDropped(5, 1, 250, 4346)));
  }

  private static void queues(Map<String, Frame> frames) {
    frames.put(
        "queue-ack",
        new Frame(300, new QueueAck(3, List.of(new ShardOffset(0, 7), new ShardOffset(2, 9)))));
    frames.put(
        "queue-nack", new Frame(301, new QueueNack(3, 1500, List.of(new ShardOffset(1, 42)))));
    frames.put("credit", new Frame(302, new Credit(3, 100)));
  }

  private static void cache(Map<String, Frame> frames) {
    Bytes user1 = utf8("user:1");
    frames.put("cache-put", new Frame(400, new CachePut(SESSIONS, user1, utf8("alice"), 60_000)));
    frames.put(
        "cache-put-empty-value", new Frame(401, new CachePut(SESSIONS, utf8("k"), Bytes.EMPTY, 0)));
    frames.put("cache-get", new Frame(402, new CacheGet(SESSIONS, user1)));
    frames.put("cache-delete", new Frame(403, new CacheDelete(SESSIONS, user1)));
    frames.put(
        "cache-compare-and-set",
        new Frame(404, new CacheCompareAndSet(SESSIONS, user1, 7, utf8("bob"), 0)));
    frames.put("cache-value", new Frame(402, CacheValue.hit(7, 59_000, utf8("alice"))));
    frames.put("cache-value-miss", new Frame(403, CacheValue.MISS));
    frames.put(
        "cache-multi-get",
        new Frame(405, new CacheMultiGet(SESSIONS, List.of(utf8("a"), utf8("bc")))));
    frames.put(
        "cache-multi-put",
        new Frame(
            406,
            new CacheMultiPut(
                SESSIONS,
                List.of(
                    new CacheMultiPut.Entry(utf8("a"), utf8("1"), 0),
                    new CacheMultiPut.Entry(utf8("bc"), Bytes.EMPTY, 1000)))));
    frames.put(
        "cache-multi-value",
        new Frame(
            405, new CacheMultiValue(List.of(CacheValue.hit(3, -1, utf8("1")), CacheValue.MISS))));
    frames.put("cache-multi-value-empty", new Frame(407, new CacheMultiValue(List.of())));
    frames.put("cache-watch", new Frame(408, new CacheWatch(SESSIONS, utf8("user:"))));
    frames.put(
        "cache-changes",
        new Frame(
            408,
            new CacheChanges(
                true,
                List.of(
                    new CacheChange(CacheChange.Kind.SNAPSHOT, utf8("a"), 3, -1, utf8("1")),
                    CacheChange.removal(CacheChange.Kind.DELETE, utf8("bc"), 4)))));
  }

  /** The message of {@code event-batch.hex}. */
  public static EventBatch eventBatch() {
    return new EventBatch(
        5,
        ORDERS,
        1,
        4096,
        RecordBatch.of(
            List.of(
                new RecordData(null, List.of(), TIMESTAMP, utf8("e1")),
                new RecordData(
                    utf8("k"), List.of(Header.of("h", "v")), TIMESTAMP + 1, utf8("e2")))));
  }

  /** The message of {@code event-batch-gap.hex}: offset deltas 0 and 7. */
  public static EventBatch eventBatchWithGap() {
    ByteBuffer records = ByteBuffer.allocate(2 * RecordCodec.MIN_RECORD);
    RecordCodec.write(records, 0, new RecordData(null, List.of(), 1, Bytes.EMPTY));
    RecordCodec.write(records, 7, new RecordData(null, List.of(), 2, Bytes.EMPTY));
    records.flip();
    return new EventBatch(
        1,
        new StreamRef("t", "n", "s"),
        0,
        0,
        RecordBatch.wrap(records, 2, RecordBatch.Kind.EVENT, WireLimits.DEFAULTS));
  }

  private static Bytes utf8(String text) {
    return Bytes.utf8(text);
  }
}
