package dev.felix.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.error.ErrorCode;
import dev.felix.transport.FrameStream;
import dev.felix.wire.Bytes;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.message.ErrorReply;
import dev.felix.wire.message.EventBatch;
import dev.felix.wire.message.EventsDropped;
import dev.felix.wire.message.Header;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StreamRef;
import java.util.ArrayList;
import java.util.List;

/** The server end of one subscription stream in a script. */
final class FakeSubscription {
  final FrameStream stream;
  final int requestId;
  final int subscriptionId;

  FakeSubscription(FrameStream stream, int requestId, int subscriptionId) {
    this.stream = stream;
    this.requestId = requestId;
    this.subscriptionId = subscriptionId;
  }

  void write(int frameRequestId, Message message) {
    assertThat(stream.write(FrameCodec.encode(frameRequestId, message))).isTrue();
  }

  /** Sends records with consecutive offsets from {@code baseOffset}; payloads as given. */
  void events(StreamRef ref, int shard, long baseOffset, String... payloads) {
    List<RecordData> records = new ArrayList<>();
    for (String payload : payloads) {
      records.add(
          new RecordData(
              Bytes.utf8("k-" + payload),
              List.of(Header.of("h", payload)),
              1_700_000_000_000L,
              Bytes.utf8(payload)));
    }
    write(0, new EventBatch(subscriptionId, ref, shard, baseOffset, RecordBatch.of(records)));
  }

  /** Sends one batch of {@code count} records of {@code size} bytes from {@code baseOffset}. */
  void bulk(StreamRef ref, int shard, long baseOffset, int count, int size) {
    List<RecordData> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] payload = new byte[size];
      records.add(RecordData.of(Bytes.wrap(payload)));
    }
    write(0, new EventBatch(subscriptionId, ref, shard, baseOffset, RecordBatch.of(records)));
  }

  void dropped(int shard, long count, long nextOffset) {
    write(0, new EventsDropped(subscriptionId, shard, count, nextOffset));
  }

  /** Ends the subscription from the server side: Error with the Subscribe's id, then FIN. */
  void endWith(ErrorCode code, String text) {
    write(requestId, new ErrorReply(code, text));
    stream.finish();
  }

  void finish() {
    stream.finish();
  }
}
