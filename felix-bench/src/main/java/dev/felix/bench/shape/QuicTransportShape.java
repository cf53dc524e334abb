package dev.felix.bench.shape;

import dev.felix.transport.ClientTlsConfig;
import dev.felix.transport.DevelopmentCertificates;
import dev.felix.transport.FrameStream;
import dev.felix.transport.ServerTlsConfig;
import dev.felix.transport.StreamListener;
import dev.felix.transport.TransportClient;
import dev.felix.transport.TransportConfig;
import dev.felix.transport.TransportConnection;
import dev.felix.transport.TransportServer;
import dev.felix.wire.FrameHeader;
import dev.felix.wire.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@link HandOffShape} over Felix's own QUIC transport (felix-transport: Netty QUIC, quiche, TLS
 * 1.3, the broker's and the client's default settings): calling threads write request frames on one
 * request stream of one connection (as the client's cache calls do), the transport's event loop
 * sends them, a server answers every frame with a 1 KiB frame on the same stream from its event
 * loop, and the client's loop wakes the caller. No broker, no client library, no codec beyond the
 * frame header: the difference to {@link HandOffShape} is what QUIC and TLS cost, the difference to
 * W4 what Felix's broker, cache and client cost on top.
 *
 * <p>Threads: a {@link Caller} belongs to the thread that calls it and is completed by the client's
 * event loop; the transport owns everything else.
 */
final class QuicTransportShape implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 15;
  private static final int REQUEST_PAYLOAD_BYTES = 8; // the sequence; with the header 24 bytes
  private static final int ANSWER_PAYLOAD_BYTES = CallFormat.ANSWER_BYTES;

  private final Path certificates;
  private final TransportServer server;
  private final TransportClient client;
  private final TransportConnection connection;
  private final FrameStream requests;
  private final Caller[] callers = new Caller[HandOffShape.MAX_CALLERS];
  private int nextSlot;

  QuicTransportShape() throws IOException {
    certificates = Files.createTempDirectory("felix-call-shape");
    server =
        TransportServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            TransportConfig.defaults(),
            ServerTlsConfig.development(certificates),
            accepted -> stream -> new AnsweringServer());
    client =
        TransportClient.create(
            TransportConfig.defaults().toBuilder().eventLoopThreads(1).build(),
            ClientTlsConfig.caFile(DevelopmentCertificates.caCertificateFile(certificates)));
    try {
      connection =
          await(client.connect("127.0.0.1", server.localAddress().getPort(), stream -> null));
      requests = await(connection.openRequestStream(new AnswerListener()));
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** A slot for the calling thread; the thread that takes it must be the one that calls. */
  synchronized Caller caller() {
    if (nextSlot >= callers.length) {
      throw new IllegalStateException("more than " + callers.length + " callers");
    }
    Caller caller = new Caller(nextSlot, Thread.currentThread());
    callers[nextSlot++] = caller;
    return caller;
  }

  /** One calling thread; its request frame is reused, since an answer means it was sent. */
  static final class Caller {
    private final Thread thread;
    private final ByteBuffer request =
        ByteBuffer.allocate(FrameHeader.LENGTH + REQUEST_PAYLOAD_BYTES);
    private volatile boolean answered;
    private volatile long answerSequence;

    private Caller(int slot, Thread thread) {
      this.thread = thread;
      FrameHeader.write(request, 0, MessageType.CACHE_GET, 0, REQUEST_PAYLOAD_BYTES, slot);
    }
  }

  /** Sends call {@code sequence} for {@code caller} and returns the sequence its answer carries. */
  long call(Caller caller, long sequence) {
    caller.answered = false;
    caller.request.putLong(FrameHeader.LENGTH, sequence);
    if (!requests.write(caller.request.duplicate())) {
      throw new IllegalStateException("the request stream refused the call");
    }
    while (!caller.answered) {
      LockSupport.park(this);
    }
    return caller.answerSequence;
  }

  /** Client event loop: the answer's request id is the caller's slot. */
  private final class AnswerListener implements StreamListener {
    @Override
    public void onFrame(FrameStream stream, ByteBuffer frame) {
      Caller caller = callers[FrameHeader.requestId(frame, frame.position())];
      caller.answerSequence = frame.getLong(frame.position() + FrameHeader.LENGTH);
      caller.answered = true;
      LockSupport.unpark(caller.thread);
    }
  }

  /** Server event loop: every request is answered with a 1 KiB value carrying its sequence. */
  private static final class AnsweringServer implements StreamListener {
    @Override
    public void onFrame(FrameStream stream, ByteBuffer frame) {
      int at = frame.position();
      ByteBuffer answer = ByteBuffer.allocate(FrameHeader.LENGTH + ANSWER_PAYLOAD_BYTES);
      FrameHeader.write(
          answer,
          0,
          MessageType.CACHE_VALUE,
          0,
          ANSWER_PAYLOAD_BYTES,
          FrameHeader.requestId(frame, at));
      answer.putLong(FrameHeader.LENGTH, frame.getLong(at + FrameHeader.LENGTH));
      stream.write(answer);
    }
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws IOException {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("QUIC set-up failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during QUIC set-up", e);
    }
  }

  @Override
  public void close() {
    client.close();
    server.close();
    try (Stream<Path> files = Files.walk(certificates)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
