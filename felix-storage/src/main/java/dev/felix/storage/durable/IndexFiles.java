package dev.felix.storage.durable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Layout and total parser of the two index files of a segment. Both start with the same 16-byte
 * header; entries follow. Big-endian.
 *
 * <pre>
 *  header   offset  size  field
 *           0       4     magic        0x46584F49 "FXOI" (offset index) / 0x46585449 "FXTI" (time)
 *           4       1     version      1
 *           5       3     reserved     0
 *           8       8     baseOffset   i64, the segment's base offset (also its file name)
 *
 *  offset index entry (8 bytes)          time index entry (12 bytes)
 *  0  4  relativeOffset u32              0  8  maxTimestampBefore i64
 *  4  4  position       u32              8  4  relativeOffset     u32
 * </pre>
 *
 * <p>The two files carry the same entries (same batches, same order), so they are parsed and
 * rebuilt together. They hold no checksum: everything in them is re-derivable from the segment, and
 * {@link #parse} checks what can be checked without reading the segment (header, sizes, strictly
 * increasing offsets and positions, non-decreasing maxima, entries inside the segment). An index
 * that passes but still points at the wrong place is caught by the read path, which checks the
 * batch it lands on.
 */
final class IndexFiles {
  static final int OFFSET_MAGIC = 0x46584F49;
  static final int TIME_MAGIC = 0x46585449;
  static final byte VERSION = 1;
  static final int HEADER_BYTES = 16;
  static final int OFFSET_ENTRY_BYTES = 8;
  static final int TIME_ENTRY_BYTES = 12;

  /** Result of {@link #parse}: an index, or why there is none. */
  record Parsed(SegmentIndex index, String problem) {
    boolean ok() {
      return index != null;
    }
  }

  private IndexFiles() {}

  /**
   * Largest sane offset-index file for a segment of {@code segmentBytes}: one entry per smallest
   * possible batch. Callers refuse bigger files before reading them into memory.
   */
  static long maxOffsetIndexBytes(long segmentBytes) {
    return HEADER_BYTES + (segmentBytes / BatchFormat.MIN_BATCH_BYTES + 1) * OFFSET_ENTRY_BYTES;
  }

  static long maxTimeIndexBytes(long segmentBytes) {
    return HEADER_BYTES + (segmentBytes / BatchFormat.MIN_BATCH_BYTES + 1) * TIME_ENTRY_BYTES;
  }

  static void writeHeader(ByteBuffer out, int magic, long baseOffset) {
    out.putInt(magic).put(VERSION).put((byte) 0).putShort((short) 0).putLong(baseOffset);
  }

  /** Both files of {@code index}, each a buffer ready to write (position 0). */
  static ByteBuffer encodeOffsetIndex(SegmentIndex index, long baseOffset) {
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + index.size() * OFFSET_ENTRY_BYTES);
    writeHeader(out, OFFSET_MAGIC, baseOffset);
    for (int i = 0; i < index.size(); i++) {
      index.putOffsetEntry(out, i);
    }
    return out.flip();
  }

  static ByteBuffer encodeTimeIndex(SegmentIndex index, long baseOffset) {
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + index.size() * TIME_ENTRY_BYTES);
    writeHeader(out, TIME_MAGIC, baseOffset);
    for (int i = 0; i < index.size(); i++) {
      index.putTimeEntry(out, i);
    }
    return out.flip();
  }

  /**
   * Parses and checks both files (each from position 0 to its limit) against the segment they
   * index. {@code segmentRecords} is the segment's record count, or -1 when unknown. Total: any
   * bytes give an index or a problem; arrays are sized by the buffer lengths, which the caller has
   * bounded with {@link #maxOffsetIndexBytes}.
   */
  static Parsed parse(
      ByteBuffer offsets,
      ByteBuffer times,
      long baseOffset,
      long segmentBytes,
      long segmentRecords) {
    if (offsets == null || times == null) {
      return new Parsed(null, "index file missing or too large");
    }
    String header = checkHeader(offsets, OFFSET_MAGIC, baseOffset, "offset index");
    if (header == null) {
      header = checkHeader(times, TIME_MAGIC, baseOffset, "time index");
    }
    if (header != null) {
      return new Parsed(null, header);
    }
    int offsetBytes = offsets.limit() - HEADER_BYTES;
    int timeBytes = times.limit() - HEADER_BYTES;
    if (offsetBytes % OFFSET_ENTRY_BYTES != 0 || timeBytes % TIME_ENTRY_BYTES != 0) {
      return new Parsed(null, "an index file ends inside an entry");
    }
    int entries = offsetBytes / OFFSET_ENTRY_BYTES;
    if (timeBytes / TIME_ENTRY_BYTES != entries) {
      return new Parsed(null, "offset and time index have different entry counts");
    }
    if ((segmentBytes == 0) != (entries == 0)
        || entries > segmentBytes / BatchFormat.MIN_BATCH_BYTES + 1) {
      return new Parsed(
          null, entries + " index entries do not fit a segment of " + segmentBytes + " bytes");
    }
    SegmentIndex index = new SegmentIndex(entries);
    long previousOffset = -1;
    long previousPosition = -1;
    long previousMax = Long.MIN_VALUE;
    for (int i = 0; i < entries; i++) {
      long relativeOffset = offsets.getInt(HEADER_BYTES + i * OFFSET_ENTRY_BYTES) & 0xFFFF_FFFFL;
      long position = offsets.getInt(HEADER_BYTES + i * OFFSET_ENTRY_BYTES + 4) & 0xFFFF_FFFFL;
      long max = times.getLong(HEADER_BYTES + i * TIME_ENTRY_BYTES);
      long timeOffset = times.getInt(HEADER_BYTES + i * TIME_ENTRY_BYTES + 8) & 0xFFFF_FFFFL;
      boolean firstOk = i > 0 || (relativeOffset == 0 && position == 0);
      if (!firstOk
          || relativeOffset != timeOffset
          || relativeOffset <= previousOffset
          || position <= previousPosition
          || max < previousMax
          || relativeOffset > Integer.MAX_VALUE
          || position > segmentBytes - BatchFormat.MIN_BATCH_BYTES
          || (segmentRecords >= 0 && relativeOffset >= segmentRecords)) {
        return new Parsed(null, "index entry " + i + " is out of order or outside the segment");
      }
      index.add((int) relativeOffset, (int) position, max);
      previousOffset = relativeOffset;
      previousPosition = position;
      previousMax = max;
    }
    return new Parsed(index, null);
  }

  private static String checkHeader(ByteBuffer file, int magic, long baseOffset, String name) {
    if (file.limit() < HEADER_BYTES) {
      return name + " is shorter than its header";
    }
    if (file.getInt(0) != magic || file.get(4) != VERSION) {
      return name + " has a bad magic or version";
    }
    if (file.get(5) != 0 || file.getShort(6) != 0) {
      return name + " has reserved bytes set";
    }
    if (file.getLong(8) != baseOffset) {
      return name + " belongs to base offset " + file.getLong(8) + ", not " + baseOffset;
    }
    return null;
  }

  /**
   * The whole index file, or null if it does not exist or is larger than {@code maxBytes} (so a
   * damaged file can never size an allocation).
   */
  static ByteBuffer read(FileIo io, Path file, long maxBytes) throws IOException {
    try (FileChannel channel = io.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > maxBytes) {
        return null;
      }
      ByteBuffer content = ByteBuffer.allocate((int) size);
      while (content.hasRemaining()) {
        if (channel.read(content, content.position()) < 0) {
          break;
        }
      }
      return content.flip();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * The running maximum timestamp before the first record of the oldest segment, as its time index
   * recorded it. It cannot be re-derived once retention deleted the segments before (which is why
   * it is stored), so it is read even from an index that is otherwise rebuilt; Long.MIN_VALUE when
   * the file has no usable first entry.
   */
  static long storedCarryIn(FileIo io, Path timeIndex, long baseOffset) throws IOException {
    ByteBuffer times = ByteBuffer.allocate(HEADER_BYTES + TIME_ENTRY_BYTES);
    try (FileChannel channel = io.open(timeIndex, StandardOpenOption.READ)) {
      while (times.hasRemaining()) {
        if (channel.read(times, times.position()) < 0) {
          break;
        }
      }
    } catch (NoSuchFileException e) {
      return Long.MIN_VALUE;
    }
    times.flip();
    if (checkHeader(times, TIME_MAGIC, baseOffset, "time index") != null
        || times.limit() < HEADER_BYTES + TIME_ENTRY_BYTES
        || times.getInt(HEADER_BYTES + 8) != 0) {
      return Long.MIN_VALUE;
    }
    return times.getLong(HEADER_BYTES);
  }
}
