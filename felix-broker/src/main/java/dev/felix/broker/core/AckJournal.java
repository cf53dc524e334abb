package dev.felix.broker.core;

import dev.felix.error.ErrorCode;
import dev.felix.error.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The consumer-group ack journal, {@code <dataDir>/groups/acks.fxaj}: an append-only file of the
 * position changes made since the last position snapshot ({@code positions.fxps}), so that an ack
 * reaches the file system (the page cache) as soon as the storage lane has it, without waiting for
 * the periodic snapshot. Replayed over the snapshot at start; emptied when the snapshot is
 * rewritten (compaction).
 *
 * <pre>
 *  header
 *  offset  size  field
 *  0       4     magic       0x4658414A ("FXAJ")
 *  4       1     version     1
 *  5       8     generation  i64: the snapshot generation this journal continues
 *
 *  entry (repeated)
 *  0       4     length      u32, bytes of the body
 *  4       4     crc         CRC32C of the body
 *  8       ..    body        u8 type, u32 id, then by type:
 *    DEFINE   1  u16 keyLength, UTF-8 key  (names the id for the entries after it)
 *    DONE     2  i64 offset                (acked, dead-lettered or lost)
 *    INIT     3  i64 committed             (a group shard starts here: done runs cleared)
 *    SKIP     4  i64 committed             (the position jumped forward: records left the log)
 *    NEXT     5  i64 next                  (records below it were leased at least once)
 *    REMOVE   6  -                         (the key is gone: group or stream deleted)
 *    STATE    7  i64 committed, i64 next, u32 runs, runs x (i64 start, i64 length)
 *    COUNTERS 8  u8 count, count x i64     (a group's counters, see GroupCounters)
 * </pre>
 *
 * <p>Why the generation: compaction writes the snapshot (with its new generation) before it empties
 * the journal; a crash between the two leaves a journal whose generation is older than the
 * snapshot's, and it is ignored rather than replayed twice. A torn or damaged entry ends the replay
 * (the tail of a killed write) and is cut off.
 *
 * <p>Threading: none; used by {@link GroupPositions} under its I/O lock, on a storage lane or the
 * closing thread.
 */
final class AckJournal implements AutoCloseable {
  static final int MAGIC = 0x4658414A;
  static final byte VERSION = 1;
  static final int HEADER_BYTES = 13;

  static final byte DEFINE = 1;
  static final byte DONE = 2;
  static final byte INIT = 3;
  static final byte SKIP = 4;
  static final byte NEXT = 5;
  static final byte REMOVE = 6;
  static final byte STATE = 7;
  static final byte COUNTERS = 8;

  /** Write buffer; an entry larger than it (a STATE of many runs) gets a buffer of its own. */
  private static final int BUFFER_BYTES = 64 * 1024;

  /** Where replayed entries go. Ids are those of the file's DEFINE entries. */
  interface Visitor {
    void define(int id, String key);

    void done(int id, long offset);

    void init(int id, long committed);

    void skip(int id, long committed);

    void next(int id, long next);

    void remove(int id);

    void state(int id, long committed, long next, long[] runs);

    void counters(int id, long[] values);
  }

  private final Path file;
  private final FileChannel channel;
  private final CRC32C crc = new CRC32C();
  private ByteBuffer out = ByteBuffer.allocate(BUFFER_BYTES);
  private long size;

  private AckJournal(Path file, FileChannel channel, long size) {
    this.file = file;
    this.channel = channel;
    this.size = size;
  }

  /**
   * Opens the journal, replaying its entries into {@code visitor} when it continues snapshot {@code
   * generation}; otherwise (missing, older, unreadable header) it starts empty at that generation.
   */
  static AckJournal open(Path file, long generation, Visitor visitor) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      long validEnd = replay(channel, generation, visitor);
      AckJournal journal = new AckJournal(file, channel, validEnd);
      if (validEnd < HEADER_BYTES) {
        journal.reset(generation);
      } else {
        channel.truncate(validEnd);
      }
      return journal;
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "opening ack journal " + file + " failed: " + e, e);
    }
  }

  /** Replays; returns the end of the last whole entry, or 0 when the journal is not replayed. */
  private static long replay(FileChannel channel, long generation, Visitor visitor)
      throws IOException {
    long length = channel.size();
    if (length < HEADER_BYTES || length > Integer.MAX_VALUE) {
      return 0;
    }
    ByteBuffer in = ByteBuffer.allocate((int) length);
    while (in.hasRemaining() && channel.read(in, in.position()) >= 0) {
      // read fully
    }
    in.flip();
    if (in.getInt() != MAGIC || in.get() != VERSION || in.getLong() != generation) {
      return 0;
    }
    CRC32C check = new CRC32C();
    while (in.remaining() >= 8) {
      int start = in.position();
      int bodyLength = in.getInt();
      int crc = in.getInt();
      if (bodyLength < 5 || bodyLength > in.remaining()) {
        return start;
      }
      check.reset();
      check.update(in.array(), in.position(), bodyLength);
      if ((int) check.getValue() != crc) {
        return start;
      }
      ByteBuffer body = in.slice(in.position(), bodyLength);
      in.position(in.position() + bodyLength);
      if (!decode(body, visitor)) {
        return start;
      }
    }
    return in.position();
  }

  /** Applies one body; false when it is malformed (a crc match on garbage: stop there). */
  private static boolean decode(ByteBuffer body, Visitor visitor) {
    try {
      byte type = body.get();
      int id = body.getInt();
      switch (type) {
        case DEFINE -> {
          byte[] key = new byte[body.getShort() & 0xFFFF];
          body.get(key);
          visitor.define(id, new String(key, StandardCharsets.UTF_8));
        }
        case DONE -> visitor.done(id, body.getLong());
        case INIT -> visitor.init(id, body.getLong());
        case SKIP -> visitor.skip(id, body.getLong());
        case NEXT -> visitor.next(id, body.getLong());
        case REMOVE -> visitor.remove(id);
        case STATE -> {
          long committed = body.getLong();
          long next = body.getLong();
          int count = body.getInt();
          if (count < 0 || count > body.remaining() / 16) {
            return false;
          }
          long[] runs = new long[count * 2];
          for (int i = 0; i < runs.length; i++) {
            runs[i] = body.getLong();
          }
          visitor.state(id, committed, next, runs);
        }
        case COUNTERS -> {
          int count = body.get() & 0xFF;
          if (count > body.remaining() / 8) {
            return false;
          }
          long[] values = new long[count];
          for (int i = 0; i < count; i++) {
            values[i] = body.getLong();
          }
          visitor.counters(id, values);
        }
        default -> {
          return false;
        }
      }
      return true;
    } catch (java.nio.BufferUnderflowException e) {
      return false;
    }
  }

  // ---- appending (buffered until write())

  void define(int id, String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    int at = begin(5 + 2 + bytes.length, DEFINE, id);
    out.putShort((short) bytes.length).put(bytes);
    end(at);
  }

  /** DONE, INIT, SKIP or NEXT: one value. */
  void value(byte type, int id, long value) {
    int at = begin(5 + 8, type, id);
    out.putLong(value);
    end(at);
  }

  void remove(int id) {
    end(begin(5, REMOVE, id));
  }

  void state(int id, long committed, long next, long[] runs) {
    int at = begin(5 + 20 + runs.length * 8, STATE, id);
    out.putLong(committed).putLong(next).putInt(runs.length / 2);
    for (long value : runs) {
      out.putLong(value);
    }
    end(at);
  }

  void counters(int id, long[] values) {
    int at = begin(5 + 1 + values.length * 8, COUNTERS, id);
    out.put((byte) values.length);
    for (long value : values) {
      out.putLong(value);
    }
    end(at);
  }

  private int begin(int bodyBytes, byte type, int id) {
    if (out.remaining() < 8 + bodyBytes) {
      write();
      if (out.capacity() < 8 + bodyBytes) {
        out = ByteBuffer.allocate(8 + bodyBytes);
      }
    }
    int at = out.position();
    out.putInt(bodyBytes).putInt(0).put(type).putInt(id);
    return at;
  }

  private void end(int at) {
    crc.reset();
    crc.update(out.array(), at + 8, out.position() - at - 8);
    out.putInt(at + 4, (int) crc.getValue());
  }

  /** Hands the buffered entries to the file system (page cache; no fsync). */
  void write() {
    out.flip();
    try {
      while (out.hasRemaining()) {
        size += channel.write(out, size);
      }
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "writing ack journal " + file + " failed: " + e, e);
    } finally {
      out.clear();
      if (out.capacity() > BUFFER_BYTES) {
        out = ByteBuffer.allocate(BUFFER_BYTES); // a one-off large entry keeps no large buffer
      }
    }
  }

  /** Forces what was written to the disk. */
  void force() {
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "syncing ack journal " + file + " failed: " + e, e);
    }
  }

  long size() {
    return size;
  }

  /** Empties the journal for snapshot {@code generation} (after that snapshot is durable). */
  void reset(long generation) {
    out.clear();
    try {
      channel.truncate(0);
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
      header.putInt(MAGIC).put(VERSION).putLong(generation).flip();
      long at = 0;
      while (header.hasRemaining()) {
        at += channel.write(header, at);
      }
      size = HEADER_BYTES;
      // Forced: entries appended later must never outlive the header that says which snapshot
      // they continue.
      channel.force(true);
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "resetting ack journal " + file + " failed: " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new StorageException(
          ErrorCode.STORAGE_ERROR, "closing ack journal " + file + " failed: " + e, e);
    }
  }
}
