package dev.felix.storage.durable;

import dev.felix.error.ErrorCode;
import dev.felix.error.StorageException;
import java.io.IOException;
import java.nio.file.Path;

/** Turns I/O failures into the typed {@link StorageException} the {@code Log} contract promises. */
final class StorageErrors {
  private StorageErrors() {}

  /**
   * {@link ErrorCode#STORAGE_FULL} when the failure is a full disk or quota, else {@link
   * ErrorCode#STORAGE_ERROR}. The JDK reports ENOSPC and EDQUOT only as message text, so the text
   * is what we can match.
   */
  static StorageException of(String action, Path file, IOException cause) {
    return new StorageException(codeOf(cause), action + " " + file + " failed: " + cause, cause);
  }

  static ErrorCode codeOf(IOException cause) {
    String message = String.valueOf(cause.getMessage());
    return message.contains("No space left") || message.contains("Disk quota exceeded")
        ? ErrorCode.STORAGE_FULL
        : ErrorCode.STORAGE_ERROR;
  }

  static StorageException corrupt(Path file, String problem) {
    return new StorageException(
        ErrorCode.STORAGE_ERROR, "corrupt segment " + file + ": " + problem);
  }
}
