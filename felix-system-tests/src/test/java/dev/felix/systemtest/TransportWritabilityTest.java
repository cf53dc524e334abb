package dev.felix.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.transport.ClientTlsConfig;
import dev.felix.transport.ConnectionListener;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamListener;
import dev.felix.transport.TransportClient;
import dev.felix.transport.TransportConfig;
import dev.felix.transport.TransportConnection;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.PublishBatch;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StreamRef;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The writability contract every sender relies on (the server's subscription sinks, the client's
 * publisher): after {@code FrameStream.isWritable()} returned false, {@code
 * StreamListener.onWritabilityChanged(true)} follows once the queue drained. A reproducer for the
 * felix-transport bug described on {@link #LOST_WAKE_UP}.
 */
class TransportWritabilityTest {
  /**
   * {@code OutboundQueue} sets its unwritable flag in {@code enqueue} (visible at once through
   * {@code isWritable()}), but {@code reportWritability} only reports changes against the last
   * <em>reported</em> state. When one drain run hands the whole queue to quiche (a big window, e.g.
   * a 1.5 MiB frame on a 16 MiB stream window), the flag goes back to true without any event: a
   * sender that saw false waits for ever. Seen in the system tests as a publisher whose batches
   * stop being sent, and as a subscription that stops being served.
   */
  static final String LOST_WAKE_UP =
      "regression: OutboundQueue lost the writable event when one drain emptied the queue (fixed)";

  @RegisterExtension static final EmbeddedFelix FELIX = EmbeddedFelix.withDefaults();

  @Test
  void everyFalseFromIsWritableIsFollowedByAWritableEvent() throws Exception {
    List<Boolean> events = new CopyOnWriteArrayList<>();
    StreamListener listener =
        new StreamListener() {
          @Override
          public void onFrame(FrameStream stream, ByteBuffer frame) {}

          @Override
          public void onWritabilityChanged(FrameStream stream, boolean writable) {
            events.add(writable);
          }
        };
    ConnectionListener connectionListener = stream -> listener;
    try (TransportClient client =
        TransportClient.create(
            TransportConfig.defaults().toBuilder().eventLoopThreads(1).build(),
            ClientTlsConfig.caFile(FELIX.caFile()))) {
      TransportConnection connection =
          client
              .connect("127.0.0.1", FELIX.quicSocketAddress().getPort(), connectionListener)
              .get(30, TimeUnit.SECONDS);
      FrameStream control = connection.controlStream().orElseThrow();
      String payload = "x".repeat(1_500_000); // above the 1 MiB high-water mark
      int unwritableSeen = 0;
      for (int i = 0; i < 5; i++) {
        control.write(
            FrameCodec.encode(
                100 + i,
                new PublishBatch(
                    PublishTarget.of(StreamRef.of("writability"), AckMode.LEADER),
                    RecordBatch.of(List.of(RecordData.of(payload))))));
        boolean sawFalse = !control.isWritable();
        Await.until("the send queue to drain", () -> control.queuedBytes() == 0, Await.DEFAULT);
        if (sawFalse) {
          unwritableSeen++;
          // The drain that emptied the queue reports writability at its end, on the event loop: a
          // task queued now runs after it. (Counting one writable event per false is too strict:
          // a write landing while the previous drain is between emptying the queue and reporting
          // merges two falses into one false/true pair, which the contract allows.)
          CompletableFuture<Void> loopPassed = new CompletableFuture<>();
          assertThat(connection.execute(() -> loopPassed.complete(null))).isTrue();
          loopPassed.get(10, TimeUnit.SECONDS);
          assertThat(events)
              .as("after isWritable() was false for write %d, the last event says writable", i)
              .isNotEmpty()
              .last()
              .isEqualTo(true);
        }
      }
      assertThat(unwritableSeen).isPositive();
    }
  }
}
