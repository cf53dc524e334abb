package dev.felix.storage.durable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FileIo} whose channels fail on command: a full disk after N more bytes (a partial write,
 * then ENOSPC), failing truncation, failing or gated (blocked until released) fsyncs. Counts the
 * fsyncs of segment files.
 */
final class FaultyFileIo implements FileIo {
  /** Bytes that may still be written before writes fail; negative means unlimited. */
  final AtomicLong writableBytes = new AtomicLong(-1);

  volatile boolean failTruncate;
  volatile boolean failForce;

  /** When set, each fsync of a segment file takes a permit first (tests release them). */
  volatile Semaphore forceGate;

  final AtomicInteger segmentForces = new AtomicInteger();

  @Override
  public FileChannel open(Path path, OpenOption... options) throws IOException {
    return new Channel(FileChannel.open(path, options), path.toString().endsWith(".log"));
  }

  private final class Channel extends FileChannel {
    private final FileChannel delegate;
    private final boolean segment;

    Channel(FileChannel delegate, boolean segment) {
      this.delegate = delegate;
      this.segment = segment;
    }

    private int allowed(ByteBuffer source) throws IOException {
      long left = writableBytes.get();
      if (left < 0) {
        return source.remaining();
      }
      if (left == 0) {
        throw new IOException("No space left on device");
      }
      int allowed = (int) Math.min(left, source.remaining());
      writableBytes.addAndGet(-allowed);
      return allowed;
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
      int allowed = allowed(source);
      ByteBuffer part = source.duplicate();
      part.limit(part.position() + allowed);
      int written = delegate.write(part, position);
      source.position(source.position() + written);
      return written;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      int allowed = allowed(source);
      ByteBuffer part = source.duplicate();
      part.limit(part.position() + allowed);
      int written = delegate.write(part);
      source.position(source.position() + written);
      return written;
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      if (failTruncate) {
        throw new IOException("Input/output error");
      }
      delegate.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      if (segment) {
        Semaphore gate = forceGate;
        if (gate != null) {
          gate.acquireUninterruptibly();
        }
        if (failForce) {
          throw new IOException("Input/output error");
        }
        segmentForces.incrementAndGet();
      }
      delegate.force(metaData);
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
      return delegate.read(target);
    }

    @Override
    public long read(ByteBuffer[] targets, int offset, int length) throws IOException {
      return delegate.read(targets, offset, length);
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
      throw new IOException("gathering writes are not used by the log");
    }

    @Override
    public long position() throws IOException {
      return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      delegate.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return delegate.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel source, long position, long count)
        throws IOException {
      throw new IOException("transferFrom is not used by the log");
    }

    @Override
    public int read(ByteBuffer target, long position) throws IOException {
      return delegate.read(target, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      delegate.close();
    }
  }
}
