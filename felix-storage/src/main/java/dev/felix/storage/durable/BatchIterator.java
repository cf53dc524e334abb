package dev.felix.storage.durable;

import static dev.felix.storage.durable.BatchFormat.HEADER_BYTES;

import dev.felix.error.StorageException;
import dev.felix.storage.log.ProducerStamp;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The batches of a log directory in offset order, from {@link LogInspector#dump}: each batch is
 * CRC-checked and its records decoded. Iteration ends at the end of the log or at the first bad
 * batch, whose description {@link #problem()} then holds. Close it to release the open segment.
 *
 * <p>Not thread-safe.
 */
public final class BatchIterator implements Iterator<DumpedBatch>, AutoCloseable {
  private final Path dir;
  private final List<Long> bases;
  private final long fromOffset;
  private final ReadWindow window = new ReadWindow(DurableLogConfig.DEFAULT_READ_BUFFER_BYTES);
  private final BatchView view = new BatchView();
  private int segmentIndex = -1;
  private FileChannel channel;
  private Path file;
  private long fileBytes;
  private long position;
  private DumpedBatch next;
  private LogProblem problem;

  BatchIterator(Path dir, List<Long> bases, long fromOffset) {
    this.dir = dir;
    this.bases = bases;
    this.fromOffset = fromOffset;
    int first = 0;
    while (first + 1 < bases.size() && bases.get(first + 1) <= fromOffset) {
      first++;
    }
    this.segmentIndex = first - 1;
  }

  @Override
  public boolean hasNext() {
    while (next == null && problem == null) {
      try {
        if (channel == null || position >= fileBytes) {
          if (!openNextSegment()) {
            return false;
          }
          continue;
        }
        next = readBatch();
      } catch (IOException e) {
        throw StorageErrors.of("reading", file, e);
      }
    }
    return next != null;
  }

  @Override
  public DumpedBatch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    DumpedBatch batch = next;
    next = null;
    return batch;
  }

  /** Why iteration stopped early, if it did. */
  public Optional<LogProblem> problem() {
    return Optional.ofNullable(problem);
  }

  private boolean openNextSegment() throws IOException {
    close();
    if (++segmentIndex >= bases.size()) {
      return false;
    }
    file = SegmentNames.logFile(dir, bases.get(segmentIndex));
    channel = FileChannel.open(file, StandardOpenOption.READ);
    fileBytes = channel.size();
    position = 0;
    window.invalidate();
    return true;
  }

  /** The next batch at or after {@code fromOffset}, or null (with {@link #problem} set) if bad. */
  private DumpedBatch readBatch() throws IOException {
    while (position < fileBytes) {
      int at = window.load(channel, fileBytes, position, HEADER_BYTES);
      BatchView.Status status = view.parse(window.buffer(), at, window.limit(), true);
      if (status == BatchView.Status.INCOMPLETE
          && window.limit() - at >= 4
          && window.limit() - at < fileBytes - position) {
        long batchBytes = (window.buffer().getInt(at) & 0xFFFF_FFFFL) + 4;
        at =
            window.load(
                channel, fileBytes, position, (int) Math.min(batchBytes, fileBytes - position));
        status = view.parse(window.buffer(), at, window.limit(), true);
      }
      if (status != BatchView.Status.OK) {
        problem =
            new LogProblem(
                file, position, LogProblem.Kind.CORRUPT_BATCH, SegmentScanner.describe(status));
        return null;
      }
      long batchPosition = position;
      position += view.size();
      if (view.endOffset() > fromOffset) {
        try {
          return new DumpedBatch(
              file,
              batchPosition,
              view.baseOffset(),
              view.size(),
              view.maxTimestamp(),
              view.producerId() == 0
                  ? null
                  : new ProducerStamp(view.producerId(), view.firstSequence(), view.lastSequence()),
              LogInspector.records(window.buffer(), at, view));
        } catch (StorageException e) {
          problem =
              new LogProblem(file, batchPosition, LogProblem.Kind.CORRUPT_BATCH, e.getMessage());
          return null;
        }
      }
    }
    return null;
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        throw StorageErrors.of("closing", file, e);
      } finally {
        channel = null;
      }
    }
  }
}
