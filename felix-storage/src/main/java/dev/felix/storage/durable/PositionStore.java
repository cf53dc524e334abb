package dev.felix.storage.durable;

import dev.felix.error.ErrorCode;
import dev.felix.error.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A small durable map from names to longs: consumer-group positions and cursors that must survive a
 * restart. Changes are kept in memory until {@link #flush()}, which writes the whole map to a
 * temporary file, forces it, renames it over the old file atomically and forces the directory, so
 * the file on disk is always either the old map or the new one, never a mix.
 *
 * <p>Why a whole-file rewrite rather than an append-only journal: the map is small (one entry per
 * group and shard), flushes are periodic rather than per message, and there is no compaction or
 * replay logic to get wrong.
 *
 * <pre>
 *  offset  size  field
 *  0       4     magic       0x46585053 ("FXPS")
 *  4       1     version     1
 *  5       4     count       u32, number of entries
 *  9       ..    entries     count x (u16 keyLength, UTF-8 key, i64 value), keys in sorted order
 *  ..      4     crc         CRC32C of every byte before it
 * </pre>
 *
 * <p><b>Threading:</b> thread-safe; every method holds this object's monitor, {@link #flush()}
 * through its fsyncs, so call it from a storage thread, never an event loop.
 */
public final class PositionStore implements AutoCloseable {
  static final int MAGIC = 0x46585053;
  static final byte VERSION = 1;
  private static final int HEADER_BYTES = 9;
  private static final int MAX_KEY_BYTES = 0xFFFF;

  private final Path file;
  private final Path temp;
  private final TreeMap<String, Long> positions;
  private boolean dirty;

  private PositionStore(Path file, Map<String, Long> positions) {
    this.file = file;
    this.temp = file.resolveSibling(file.getFileName() + ".tmp");
    this.positions = new TreeMap<>(positions);
  }

  /**
   * Opens the store in {@code file} (empty if the file does not exist yet).
   *
   * @throws StorageException if the file is damaged: positions are never silently reset
   */
  public static PositionStore open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".tmp"));
      Map<String, Long> positions = new TreeMap<>();
      if (Files.exists(file)) {
        decode(ByteBuffer.wrap(Files.readAllBytes(file)), positions, file);
      }
      return new PositionStore(file, positions);
    } catch (IOException e) {
      throw StorageErrors.of("opening position store", file, e);
    }
  }

  public synchronized OptionalLong get(String key) {
    Long value = positions.get(key);
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  /** Sets {@code key}; durable after the next {@link #flush()}. */
  public synchronized void put(String key, long value) {
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("position key longer than " + MAX_KEY_BYTES + " bytes");
    }
    Long old = positions.put(key, value);
    dirty |= old == null || old != value;
  }

  /** Removes {@code key}; durable after the next {@link #flush()}. */
  public synchronized void remove(String key) {
    dirty |= positions.remove(key) != null;
  }

  /** A copy of every entry, in key order. */
  public synchronized Map<String, Long> snapshot() {
    return new TreeMap<>(positions);
  }

  /** Makes every change so far durable; a no-op when nothing changed. */
  public synchronized void flush() {
    if (!dirty) {
      return;
    }
    ByteBuffer content = encode(positions);
    try {
      try (FileChannel out =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        Segment.writeFully(out, content, 0);
        out.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel directory =
          FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
        directory.force(true);
      }
    } catch (IOException e) {
      throw StorageErrors.of("writing position store", file, e);
    }
    dirty = false;
  }

  /** Flushes. */
  @Override
  public void close() {
    flush();
  }

  static ByteBuffer encode(Map<String, Long> positions) {
    int size = HEADER_BYTES + 4;
    for (String key : positions.keySet()) {
      size += 2 + key.getBytes(StandardCharsets.UTF_8).length + 8;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(MAGIC).put(VERSION).putInt(positions.size());
    for (Map.Entry<String, Long> entry : positions.entrySet()) {
      byte[] key = entry.getKey().getBytes(StandardCharsets.UTF_8);
      out.putShort((short) key.length).put(key).putLong(entry.getValue());
    }
    out.putInt(BatchFormat.crc(out, 0, out.position(), new CRC32C()));
    return out.flip();
  }

  /** Total decoder: fills {@code into} or throws a {@link StorageException} naming the file. */
  static void decode(ByteBuffer in, Map<String, Long> into, Path file) {
    int length = in.limit();
    if (length < HEADER_BYTES + 4
        || in.getInt(0) != MAGIC
        || in.get(4) != VERSION
        || BatchFormat.crc(in, 0, length - 4, new CRC32C()) != in.getInt(length - 4)) {
      throw damaged(file, "bad header or checksum");
    }
    long count = in.getInt(5) & 0xFFFF_FFFFL;
    int position = HEADER_BYTES;
    int end = length - 4;
    for (long i = 0; i < count; i++) {
      if (end - position < 2) {
        throw damaged(file, "entry " + i + " is truncated");
      }
      int keyLength = in.getShort(position) & 0xFFFF;
      if (end - position - 2 < keyLength + 8) {
        throw damaged(file, "entry " + i + " is truncated");
      }
      byte[] key = new byte[keyLength];
      in.get(position + 2, key);
      into.put(new String(key, StandardCharsets.UTF_8), in.getLong(position + 2 + keyLength));
      position += 2 + keyLength + 8;
    }
    if (position != end) {
      throw damaged(file, (end - position) + " bytes after the last entry");
    }
  }

  private static StorageException damaged(Path file, String why) {
    return new StorageException(
        ErrorCode.STORAGE_ERROR, "position store " + file + " is damaged: " + why);
  }
}
