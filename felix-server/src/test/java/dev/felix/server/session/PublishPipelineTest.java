package dev.felix.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.felix.broker.Broker;
import dev.felix.broker.BrokerConfig;
import dev.felix.broker.PublishResult;
import dev.felix.transport.FrameStream;
import dev.felix.transport.StreamRole;
import dev.felix.transport.TransportConnection;
import dev.felix.wire.Frame;
import dev.felix.wire.FrameCodec;
import dev.felix.wire.WireLimits;
import dev.felix.wire.message.AckMode;
import dev.felix.wire.message.Message;
import dev.felix.wire.message.PublishAck;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordBatch;
import dev.felix.wire.message.RecordData;
import dev.felix.wire.message.StreamRef;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retry of publishes held back by a {@code block} stream. The broker's retry signal may already
 * be complete when the pipeline gets it (a subscriber drained between the broker's check and the
 * pipeline's reaction): the held-back publish must still be retried, or the paused control stream
 * wedges the connection (found in W1 runs: publishes timed out after 10 s, one batch never
 * appended).
 */
class PublishPipelineTest {
  private static final PublishTarget TARGET =
      PublishTarget.of(StreamRef.of("orders"), AckMode.LEADER);

  private Broker broker;
  private ServerMetrics metrics;
  private final RecordingStream control = new RecordingStream();

  @BeforeEach
  void start() {
    broker = Broker.start(BrokerConfig.defaults());
    metrics = new ServerMetrics(new PrometheusRegistry(), broker);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void aSignalCompletedBeforeItIsWatchedStillRetries() {
    ScriptedAppender appender = new ScriptedAppender();
    appender.answers.add(PublishResult.blocked(CompletableFuture.completedFuture(null)));
    PublishPipeline pipeline = pipeline(appender);

    pipeline.submit(7, TARGET, batch(), 100);

    assertThat(appender.calls).isEqualTo(2);
    assertThat(control.acknowledgedRequests()).containsExactly(7);
    assertThat(control.paused).isFalse();
  }

  @Test
  void aPublishHeldBackWaitsForItsSignalAndLaterOnesKeepTheirOrder() {
    ScriptedAppender appender = new ScriptedAppender();
    CompletableFuture<Void> drained = new CompletableFuture<>();
    appender.answers.add(PublishResult.blocked(drained));
    PublishPipeline pipeline = pipeline(appender);

    pipeline.submit(1, TARGET, batch(), 100);
    pipeline.submit(2, TARGET, batch(), 100);

    assertThat(appender.calls).isEqualTo(1);
    assertThat(control.paused).isTrue();
    assertThat(control.acknowledgedRequests()).isEmpty();

    drained.complete(null);

    assertThat(control.acknowledgedRequests()).containsExactly(1, 2);
    assertThat(control.paused).isFalse();
  }

  @Test
  void aRetryThatFindsTheStreamBlockedAgainAlreadySignalledRetriesOnceMore() {
    ScriptedAppender appender = new ScriptedAppender();
    CompletableFuture<Void> drained = new CompletableFuture<>();
    appender.answers.add(PublishResult.blocked(drained));
    appender.answers.add(PublishResult.blocked(CompletableFuture.completedFuture(null)));
    PublishPipeline pipeline = pipeline(appender);

    pipeline.submit(3, TARGET, batch(), 100);
    drained.complete(null);

    assertThat(appender.calls).isEqualTo(3);
    assertThat(control.acknowledgedRequests()).containsExactly(3);
    assertThat(control.paused).isFalse();
  }

  private PublishPipeline pipeline(PublishPipeline.Appender appender) {
    return new PublishPipeline(appender, control, new Replies(metrics), metrics, 1 << 20);
  }

  private static RecordBatch batch() {
    return RecordBatch.of(List.of(RecordData.of("payload")));
  }

  /** Answers from a script, then accepts everything; counts the calls. */
  private static final class ScriptedAppender implements PublishPipeline.Appender {
    final ArrayDeque<PublishResult> answers = new ArrayDeque<>();
    int calls;

    @Override
    public PublishResult publish(PublishTarget target, RecordBatch records) {
      calls++;
      PublishResult scripted = answers.poll();
      return scripted != null
          ? scripted
          : PublishResult.accepted(
              CompletableFuture.completedStage(PublishAck.appended(0, calls, records.count())));
    }
  }

  /** A control stream that keeps the frames written to it and whether reading is paused. */
  private static final class RecordingStream implements FrameStream {
    private final FrameCodec codec = new FrameCodec(WireLimits.DEFAULTS);
    private final List<ByteBuffer> frames = new ArrayList<>();
    boolean paused;

    List<Integer> acknowledgedRequests() {
      List<Integer> ids = new ArrayList<>();
      for (ByteBuffer frame : frames) {
        Frame decoded = codec.decode(frame.duplicate());
        Message message = decoded.message();
        assertThat(message).isInstanceOf(PublishAck.class);
        ids.add(decoded.requestId());
      }
      return ids;
    }

    @Override
    public long id() {
      return 0;
    }

    @Override
    public StreamRole role() {
      return StreamRole.CONTROL;
    }

    @Override
    public TransportConnection connection() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean canWrite() {
      return true;
    }

    @Override
    public synchronized boolean write(ByteBuffer frame) {
      frames.add(frame);
      return true;
    }

    @Override
    public boolean write(ByteBuffer first, ByteBuffer second) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean write(ByteBuffer... parts) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isWritable() {
      return true;
    }

    @Override
    public long queuedBytes() {
      return 0;
    }

    @Override
    public void finish() {}

    @Override
    public void reset(int errorCode) {}

    @Override
    public void pauseReading() {
      paused = true;
    }

    @Override
    public void resumeReading() {
      paused = false;
    }

    @Override
    public boolean isOpen() {
      return true;
    }
  }
}
