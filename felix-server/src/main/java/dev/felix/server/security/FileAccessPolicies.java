package dev.felix.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccessPolicies} read from a YAML or JSON policy file and reloaded when it changes. The
 * file is polled (modification time and size) rather than watched: a WatchService misses changes
 * made through Kubernetes' ConfigMap symlink swaps, and one {@code stat} per second costs nothing.
 *
 * <p>An invalid new version is rejected with a logged error and the policy in force stays: a
 * half-edited file must never open or close everything. {@link #replace} (the later admin API) puts
 * a snapshot in force until the file changes again.
 *
 * <p>Threads: one daemon poller thread; {@link #current()} is a volatile read.
 */
public final class FileAccessPolicies implements AccessPolicies, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileAccessPolicies.class);

  /** Outcome of one load, for metrics. */
  public enum LoadResult {
    LOADED,
    REJECTED
  }

  private final Path file;
  private final Consumer<LoadResult> loads;
  private final ScheduledExecutorService poller;
  private volatile PolicySnapshot current;
  private FileTime lastModified;
  private long lastSize = -1;

  private FileAccessPolicies(Path file, Consumer<LoadResult> loads) {
    this.file = file;
    this.loads = loads;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "felix-policy-reload");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Loads {@code file} now and polls it every {@code pollInterval}.
   *
   * @param loads told about every load attempt after the first (for metrics)
   * @throws IllegalArgumentException when the file cannot be read or is invalid at start: a server
   *     must not start with a policy the operator did not mean
   */
  public static FileAccessPolicies start(
      Path file, Duration pollInterval, Consumer<LoadResult> loads) {
    FileAccessPolicies policies = new FileAccessPolicies(file, Objects.requireNonNull(loads));
    try {
      policies.current = policies.load();
    } catch (IOException | IllegalArgumentException e) {
      policies.poller.shutdownNow();
      throw new IllegalArgumentException(
          "policy file " + file + " is unusable: " + e.getMessage(), e);
    }
    LOG.info("access policy loaded from {}: {}", file, policies.current);
    long periodMs = Math.max(1, pollInterval.toMillis());
    var unused =
        policies.poller.scheduleWithFixedDelay(
            policies::pollOnce, periodMs, periodMs, TimeUnit.MILLISECONDS);
    return policies;
  }

  @Override
  public PolicySnapshot current() {
    return current;
  }

  @Override
  public void replace(PolicySnapshot snapshot) {
    current = Objects.requireNonNull(snapshot, "snapshot");
  }

  /** Checks the file once and reloads it when it changed (the poller calls this). */
  void pollOnce() {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      synchronized (this) {
        if (modified.equals(lastModified) && size == lastSize) {
          return;
        }
      }
      PolicySnapshot loaded = load();
      current = loaded;
      loads.accept(LoadResult.LOADED);
      LOG.info("access policy reloaded from {}: {}", file, loaded);
    } catch (IOException | IllegalArgumentException e) {
      loads.accept(LoadResult.REJECTED);
      LOG.error(
          "access policy file {} was changed but is invalid; the previous policy stays in force: {}",
          file,
          e.getMessage());
    } catch (RuntimeException e) {
      // Never let the poller die: a dead poller would freeze the policy silently.
      LOG.error("access policy reload of {} failed unexpectedly", file, e);
    }
  }

  /** Reads and parses the file, remembering the version it read (also when it is invalid). */
  private PolicySnapshot load() throws IOException {
    FileTime modified = Files.getLastModifiedTime(file);
    long size = Files.size(file);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    synchronized (this) {
      lastModified = modified;
      lastSize = size;
    }
    return PolicyParser.parse(text);
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
