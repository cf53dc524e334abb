package dev.felix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.felix.error.ErrorCode;
import dev.felix.error.ProtocolException;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.CacheMultiGet;
import dev.felix.wire.message.CacheMultiPut;
import dev.felix.wire.message.CacheMultiValue;
import dev.felix.wire.message.CacheRef;
import dev.felix.wire.message.CacheValue;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.GoAway;
import dev.felix.wire.message.Header;
import dev.felix.wire.message.Hello;
import dev.felix.wire.message.HelloOk;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.Publish;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.QueueNack;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.ShardOffset;
import dev.felix.wire.message.StartPosition;
import dev.felix.wire.message.StreamRef;
import dev.felix.wire.message.Subscribe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.Tuple.Tuple3;

/**
 * Invariants of the codec over generated messages (see {@link WireArbitraries}): every message
 * survives a round trip byte for byte, and damaged frames yield a message or a typed {@link
 * ProtocolException}, never another exception.
 *
 * <p>The encoding is canonical: each message has exactly one valid byte form (no optional padding,
 * no ignored bits, names and UTF-8 checked strictly). So whenever damaged bytes still decode, their
 * re-encoding must reproduce them exactly; a counterexample would be a second spelling of a
 * message.
 */
class FrameCodecPropertyTest {
  private static final FrameCodec CODEC = new FrameCodec(WireArbitraries.LIMITS);

  @Property(tries = 600)
  void decodeInvertsEncodeAndReEncodingIsIdentical(
      @ForAll("messages") Message message, @ForAll int requestId) {
    byte[] encoded = FrameCodec.encodeToArray(requestId, message);

    Frame decoded = CODEC.decode(encoded);

    assertThat(decoded.requestId()).isEqualTo(requestId);
    assertThat(decoded.message()).isEqualTo(message);
    assertThat(FrameCodec.encodeToArray(decoded.requestId(), decoded.message())).isEqualTo(encoded);
  }

  @Example
  void theLargestMessagesOfEachLayoutRoundTrip() {
    String name = "n".repeat(Names.MAX_LENGTH);
    StreamRef stream = new StreamRef(name, name, name);
    CacheRef cache = new CacheRef(name, name, name);
    List<Header> headers = new ArrayList<>();
    for (int i = 0; i < WireArbitraries.LIMITS.maxHeadersPerRecord(); i++) {
      headers.add(new Header(String.format("%03d", i) + "\u00e9".repeat(126), filled(1024, i)));
    }
    RecordData record =
        new RecordData(
            filled(WireArbitraries.LIMITS.maxKeyBytes(), 1),
            headers,
            Long.MAX_VALUE,
            filled(8192, 2));
    RecordBatch records = RecordBatch.of(Collections.nCopies(WireArbitraries.MAX_RECORDS, record));
    int entries = WireArbitraries.MAX_ENTRIES;
    Bytes key = filled(WireArbitraries.LIMITS.maxKeyBytes(), 3);
    Bytes value = filled(64 * 1024, 4);
    String clientName = "\ud83d\ude00".repeat(63) + "xyz"; // 255 bytes
    List<Message> largest =
        List.of(
            new Hello(255, 255, -1L, clientName, filled(WireArbitraries.LIMITS.maxTokenBytes(), 5)),
            new HelloOk(
                255,
                -1L,
                "x".repeat(255),
                "\u2603".repeat(85),
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                Integer.MAX_VALUE),
            new GoAway(
                GoAway.Reason.OVERLOADED, Integer.MAX_VALUE, "h".repeat(1024), "m".repeat(1024)),
            new ErrorReply(0xFFFF, "\u00e9".repeat(2048)),
            new PublishBatch(
                new PublishTarget(
                    stream, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, AckMode.LEADER),
                records),
            new Publish(PublishTarget.of(stream, AckMode.NONE), record),
            new EventBatch(Integer.MAX_VALUE, stream, Integer.MAX_VALUE, Long.MAX_VALUE, records),
            new Subscribe(
                stream,
                Integer.MAX_VALUE,
                StartPosition.timestamp(Long.MAX_VALUE),
                Subscribe.FROM_EARLIEST_IF_OUT_OF_RANGE,
                name,
                Integer.MAX_VALUE),
            new PublishAck(
                Collections.nCopies(
                    entries,
                    PublishAck.Range.appended(
                        Integer.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE))),
            new QueueNack(
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                Collections.nCopies(entries, new ShardOffset(Integer.MAX_VALUE, Long.MAX_VALUE))),
            new CacheMultiGet(cache, Collections.nCopies(entries, key)),
            new CacheMultiPut(
                cache,
                Collections.nCopies(entries, new CacheMultiPut.Entry(key, value, Long.MAX_VALUE))),
            new CacheMultiValue(
                Collections.nCopies(
                    entries, CacheValue.hit(Long.MAX_VALUE, Long.MAX_VALUE, value))));

    for (Message message : largest) {
      byte[] encoded = FrameCodec.encodeToArray(Integer.MIN_VALUE, message);
      assertThat(encoded.length - FrameHeader.LENGTH)
          .isLessThanOrEqualTo(WireArbitraries.LIMITS.maxFramePayloadBytes());
      Frame decoded = CODEC.decode(encoded);
      assertThat(decoded.message()).as(message.type().name()).isEqualTo(message);
      assertThat(FrameCodec.encodeToArray(decoded.requestId(), decoded.message()))
          .isEqualTo(encoded);
    }
  }

  private static Bytes filled(int length, int seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return Bytes.wrap(bytes);
  }

  @Example
  void everyMessageTypeHasAnArbitrary() {
    assertThat(WireArbitraries.byTypeMap().keySet())
        .containsExactlyInAnyOrder(MessageType.values());
  }

  @Property(tries = 600)
  void anySingleByteCorruptionYieldsAFrameOrAProtocolException(
      @ForAll("corruptions") Tuple3<byte[], Integer, Byte> corruption) {
    byte[] damaged = corruption.get1().clone();
    damaged[corruption.get2()] = corruption.get3();

    decodeTotally(damaged);
  }

  @Property(tries = 300)
  void anyTruncationOfAFrameIsMalformed(@ForAll("truncations") Tuple2<byte[], Integer> cut) {
    byte[] truncated = Arrays.copyOf(cut.get1(), cut.get2());

    assertThatExceptionOfType(ProtocolException.class)
        .isThrownBy(() -> CODEC.decode(truncated))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME));
  }

  @Property(tries = 300)
  void aTruncatedPayloadBehindAConsistentHeaderIsMalformed(
      @ForAll("payloadTruncations") Tuple2<byte[], Integer> cut) {
    byte[] frame = cut.get1();
    byte[] payload = Arrays.copyOfRange(frame, FrameHeader.LENGTH, FrameHeader.LENGTH + cut.get2());
    byte[] consistent = TestFrames.frame(TestFrames.typeCode(frame), payload);

    // Every v1 payload is a fixed sequence of fields: no proper prefix of one is a valid payload.
    assertThatExceptionOfType(ProtocolException.class)
        .isThrownBy(() -> CODEC.decode(consistent))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME));
  }

  @Property(tries = 300)
  void damagedPayloadsOfEveryTypeYieldAFrameOrAProtocolException(
      @ForAll("frames") byte[] frame, @ForAll("typeCodes") int type, @ForAll long seed) {
    // A valid payload under another type's header, with a few bytes scrambled: this reaches deep
    // into each payload decoder, past the header checks that stop most random input.
    byte[] payload = TestFrames.payload(frame);
    Random random = new Random(seed);
    for (int i = 0; i < 3 && payload.length > 0; i++) {
      payload[random.nextInt(payload.length)] = (byte) random.nextInt(256);
    }

    decodeTotally(TestFrames.frame(type, payload, random.nextInt()));
  }

  /** Decodes {@code bytes}; a result must be canonical, a failure a ProtocolException. */
  static void decodeTotally(byte[] bytes) {
    Frame frame;
    try {
      frame = CODEC.decode(bytes);
    } catch (ProtocolException expected) {
      assertThat(expected.code()).isNotNull();
      return;
    }
    assertThat(FrameCodec.encodeToArray(frame.requestId(), frame.message()))
        .as("re-encoding of a decoded %s", frame.type())
        .isEqualTo(bytes);
  }

  @Provide
  Arbitrary<Message> messages() {
    return WireArbitraries.messages();
  }

  @Provide
  Arbitrary<byte[]> frames() {
    return WireArbitraries.frames();
  }

  @Provide
  Arbitrary<Integer> typeCodes() {
    return Arbitraries.of(MessageType.values()).map(MessageType::code);
  }

  @Provide
  Arbitrary<Tuple3<byte[], Integer, Byte>> corruptions() {
    return WireArbitraries.frames()
        .flatMap(
            frame ->
                Combinators.combine(
                        Arbitraries.integers().between(0, frame.length - 1), Arbitraries.bytes())
                    .as((index, value) -> Tuple.of(frame, index, value))
                    .filter(t -> frame[t.get2()] != t.get3()));
  }

  /** A frame with a non-empty payload and a shorter payload length. */
  @Provide
  Arbitrary<Tuple2<byte[], Integer>> payloadTruncations() {
    return WireArbitraries.frames()
        .filter(frame -> frame.length > FrameHeader.LENGTH)
        .flatMap(
            frame ->
                Arbitraries.integers()
                    .between(0, frame.length - FrameHeader.LENGTH - 1)
                    .map(length -> Tuple.of(frame, length)));
  }

  @Provide
  Arbitrary<Tuple2<byte[], Integer>> truncations() {
    return WireArbitraries.frames()
        .flatMap(
            frame ->
                Arbitraries.integers()
                    .between(0, frame.length - 1)
                    .map(length -> Tuple.of(frame, length)));
  }
}
