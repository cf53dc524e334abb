package dev.felix.bench.shape;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Redis's shape, served by Jedis: every calling thread owns a blocking TCP connection to a server
 * that answers all connections from one selector thread. A call is one write and one read by the
 * caller; the kernel wakes it when the answer arrives. The server does no work beyond the answer,
 * so what is measured is the shape: two threads and one loopback round trip per call.
 *
 * <p>Threads: the server's selector thread owns the server side; each {@link Caller} belongs to the
 * one thread that calls it.
 */
final class OwnSocketShape implements AutoCloseable {
  private final ServerSocketChannel listener;
  private final Selector selector;
  private final Thread server;
  private volatile boolean running = true;

  OwnSocketShape() throws IOException {
    listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    listener.configureBlocking(false);
    selector = Selector.open();
    listener.register(selector, SelectionKey.OP_ACCEPT);
    server = new Thread(this::serve, "own-socket-server");
    server.setDaemon(true);
    server.start();
  }

  /** A connection of its own for the calling thread (Jedis's one connection per thread). */
  Caller connect() throws IOException {
    SocketChannel channel = SocketChannel.open(listener.getLocalAddress());
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    return new Caller(channel);
  }

  /** One thread's connection: a call writes a request and blocks until its whole answer is read. */
  static final class Caller implements AutoCloseable {
    private final SocketChannel channel;
    private final ByteBuffer request = ByteBuffer.allocateDirect(CallFormat.REQUEST_BYTES);
    private final ByteBuffer answer = ByteBuffer.allocateDirect(CallFormat.ANSWER_BYTES);

    private Caller(SocketChannel channel) {
      this.channel = channel;
    }

    /** Sends call {@code sequence} and returns the sequence the answer carries. */
    long call(long sequence) throws IOException {
      request.clear();
      CallFormat.writeRequest(request, 0, sequence);
      request.flip();
      while (request.hasRemaining()) {
        channel.write(request);
      }
      answer.clear();
      while (answer.hasRemaining()) {
        if (channel.read(answer) < 0) {
          throw new IOException("server closed the connection");
        }
      }
      return CallFormat.sequenceAt(answer, 0);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private void serve() {
    IoLoop.repeat(
        () -> running,
        () -> {
          selector.select();
          for (SelectionKey key : selector.selectedKeys()) {
            if (key.isAcceptable()) {
              accept();
            } else if (key.isReadable()) {
              answer(key);
            }
          }
          selector.selectedKeys().clear();
        });
  }

  private void accept() throws IOException {
    SocketChannel channel = listener.accept();
    if (channel == null) {
      return;
    }
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    channel.register(selector, SelectionKey.OP_READ, new Connection());
  }

  /** Answers every whole request that arrived; the answer of 1 KiB fits the empty send buffer. */
  private static void answer(SelectionKey key) throws IOException {
    SocketChannel channel = (SocketChannel) key.channel();
    Connection connection = (Connection) key.attachment();
    if (channel.read(connection.requests) < 0) {
      key.cancel();
      channel.close();
      return;
    }
    connection.requests.flip();
    while (connection.requests.remaining() >= CallFormat.REQUEST_BYTES) {
      int at = connection.requests.position();
      connection.answer.clear();
      CallFormat.writeAnswer(connection.answer, 0, CallFormat.sequenceAt(connection.requests, at));
      connection.answer.flip();
      while (connection.answer.hasRemaining()) {
        channel.write(connection.answer);
      }
      connection.requests.position(at + CallFormat.REQUEST_BYTES);
    }
    connection.requests.compact();
  }

  /** The server's buffers for one connection. */
  private static final class Connection {
    final ByteBuffer requests = ByteBuffer.allocateDirect(64 * CallFormat.REQUEST_BYTES);
    final ByteBuffer answer = ByteBuffer.allocateDirect(CallFormat.ANSWER_BYTES);
  }

  @Override
  public void close() throws IOException {
    running = false;
    selector.wakeup();
    try {
      server.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey key : selector.keys()) {
      key.channel().close();
    }
    selector.close();
  }
}
