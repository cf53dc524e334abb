package dev.felix.storage.durable;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How the durable log opens files: the seam tests use to inject write failures, a full disk or slow
 * fsyncs without touching a real disk's limits. Production uses {@link #DEFAULT}.
 */
@FunctionalInterface
interface FileIo {
  FileIo DEFAULT = FileChannel::open;

  FileChannel open(Path path, OpenOption... options) throws IOException;
}
