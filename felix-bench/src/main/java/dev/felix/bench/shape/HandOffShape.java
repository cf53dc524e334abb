package dev.felix.bench.shape;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The Felix client's shape over QUIC: calling threads hand their calls to one I/O thread (the
 * connection's event loop), which sends them in datagrams to a server answering from one selector
 * thread, reads the answers and wakes each caller. A call crosses three threads and, when the I/O
 * thread sleeps, costs a wake-up of it as well; several calls share a datagram as they do a QUIC
 * packet. No encryption, no protocol, no server work: what is measured is the shape.
 *
 * <p>Threads: the I/O thread owns its channel and the output buffer; a {@link Caller} belongs to
 * the one thread that calls it and is completed by the I/O thread through its volatile fields. The
 * hand-off queue holds at most one call per caller (each waits for its answer), so it is bounded by
 * {@link #MAX_CALLERS}.
 */
final class HandOffShape implements AutoCloseable {
  static final int MAX_CALLERS = 64;
  private static final int CALLS_PER_DATAGRAM = 32; // 32 answers of 1 KiB fit one datagram
  private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

  private final Caller[] callers = new Caller[MAX_CALLERS];
  private final AtomicInteger nextSlot = new AtomicInteger();
  private final Queue<Caller> handedOff = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean ioThreadAsleep = new AtomicBoolean();
  private final Selector ioSelector;
  private final DatagramChannel ioChannel;
  private final ByteBuffer requests =
      ByteBuffer.allocateDirect(CALLS_PER_DATAGRAM * CallFormat.REQUEST_BYTES);
  private final ByteBuffer answers =
      ByteBuffer.allocateDirect(CALLS_PER_DATAGRAM * CallFormat.ANSWER_BYTES);
  private final Thread ioThread;
  private final UdpServer server;
  private volatile boolean running = true;

  HandOffShape() throws IOException {
    server = new UdpServer();
    ioChannel = DatagramChannel.open();
    ioChannel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
    ioChannel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ioChannel.connect(server.address());
    ioChannel.configureBlocking(false);
    ioSelector = Selector.open();
    ioChannel.register(ioSelector, SelectionKey.OP_READ);
    ioThread = new Thread(this::runIoThread, "hand-off-io");
    ioThread.setDaemon(true);
    ioThread.start();
  }

  /** A slot for the calling thread; the thread that takes it must be the one that calls. */
  Caller caller() {
    int slot = nextSlot.getAndIncrement();
    if (slot >= MAX_CALLERS) {
      throw new IllegalStateException("more than " + MAX_CALLERS + " callers");
    }
    Caller caller = new Caller(slot, Thread.currentThread());
    callers[slot] = caller;
    return caller;
  }

  /** One calling thread: a call is handed to the I/O thread and waits parked for its answer. */
  final class Caller {
    private final int slot;
    private final Thread thread;
    private volatile boolean answered;
    private volatile long answerSequence;
    private long sequence;

    private Caller(int slot, Thread thread) {
      this.slot = slot;
      this.thread = thread;
    }

    /** Sends call {@code sequence} and returns the sequence its answer carries. */
    long call(long sequence) {
      this.sequence = sequence;
      answered = false;
      handOff(this);
      while (!answered) {
        LockSupport.park(this);
      }
      return answerSequence;
    }
  }

  /** Netty's rule for waking its event loop: only a sleeping loop is woken, and only once. */
  private void handOff(Caller caller) {
    handedOff.offer(caller);
    if (ioThreadAsleep.get() && ioThreadAsleep.compareAndSet(true, false)) {
      ioSelector.wakeup();
    }
  }

  private void runIoThread() {
    IoLoop.repeat(
        () -> running,
        () -> {
          completeAnsweredCalls();
          sendHandedOffCalls();
          sleepUntilWorkArrives();
        });
  }

  private void completeAnsweredCalls() throws IOException {
    while (true) {
      answers.clear();
      if (ioChannel.receive(answers) == null) {
        return;
      }
      for (int at = 0; at + CallFormat.ANSWER_BYTES <= answers.position(); ) {
        Caller caller = callers[CallFormat.slotAt(answers, at)];
        caller.answerSequence = CallFormat.sequenceAt(answers, at);
        caller.answered = true;
        LockSupport.unpark(caller.thread);
        at += CallFormat.ANSWER_BYTES;
      }
    }
  }

  /** Every queued call, up to {@link #CALLS_PER_DATAGRAM} per datagram. */
  private void sendHandedOffCalls() throws IOException {
    Caller caller = handedOff.poll();
    while (caller != null) {
      requests.clear();
      for (int n = 0; caller != null && n < CALLS_PER_DATAGRAM; n++) {
        CallFormat.writeRequest(requests, caller.slot, caller.sequence);
        caller = handedOff.poll(); // a call polled past a full datagram opens the next one
      }
      requests.flip();
      ioChannel.write(requests);
    }
  }

  private void sleepUntilWorkArrives() throws IOException {
    ioThreadAsleep.set(true);
    if (handedOff.isEmpty()) {
      ioSelector.select();
      ioSelector.selectedKeys().clear();
    }
    ioThreadAsleep.set(false);
  }

  /** The server: one selector thread answers every request of every datagram it reads. */
  private static final class UdpServer implements Runnable {
    private final DatagramChannel channel;
    private final Selector selector;
    private final ByteBuffer received =
        ByteBuffer.allocateDirect(CALLS_PER_DATAGRAM * CallFormat.REQUEST_BYTES);
    private final ByteBuffer answers =
        ByteBuffer.allocateDirect(CALLS_PER_DATAGRAM * CallFormat.ANSWER_BYTES);
    private final Thread thread;
    private volatile boolean running = true;

    UdpServer() throws IOException {
      channel = DatagramChannel.open();
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
      channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      channel.configureBlocking(false);
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
      thread = new Thread(this, "hand-off-server");
      thread.setDaemon(true);
      thread.start();
    }

    SocketAddress address() throws IOException {
      return channel.getLocalAddress();
    }

    @Override
    public void run() {
      IoLoop.repeat(
          () -> running,
          () -> {
            selector.select();
            selector.selectedKeys().clear();
            answerEverythingReceived();
          });
    }

    private void answerEverythingReceived() throws IOException {
      while (true) {
        received.clear();
        SocketAddress from = channel.receive(received);
        if (from == null) {
          return;
        }
        answers.clear();
        for (int at = 0; at + CallFormat.REQUEST_BYTES <= received.position(); ) {
          CallFormat.writeAnswer(
              answers, CallFormat.slotAt(received, at), CallFormat.sequenceAt(received, at));
          at += CallFormat.REQUEST_BYTES;
        }
        answers.flip();
        channel.send(answers, from);
      }
    }

    void close() throws IOException {
      running = false;
      selector.wakeup();
      join(thread);
      channel.close();
      selector.close();
    }
  }

  @Override
  public void close() throws IOException {
    running = false;
    ioSelector.wakeup();
    join(ioThread);
    ioChannel.close();
    ioSelector.close();
    server.close();
  }

  private static void join(Thread thread) {
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
