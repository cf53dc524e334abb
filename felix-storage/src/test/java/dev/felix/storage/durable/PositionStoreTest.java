package dev.felix.storage.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.felix.error.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PositionStoreTest {
  @TempDir Path dir;

  @Test
  void flushedPositionsSurviveReopen() {
    Path file = dir.resolve("groups/positions");
    try (PositionStore store = PositionStore.open(file)) {
      store.put("orders/g1/0", 42);
      store.put("orders/g1/1", 7);
      store.put("ünïcode", Long.MAX_VALUE);
      store.flush();
      store.put("orders/g1/0", 43);
      store.remove("orders/g1/1");
    }
    try (PositionStore store = PositionStore.open(file)) {
      assertThat(store.snapshot()).isEqualTo(Map.of("orders/g1/0", 43L, "ünïcode", Long.MAX_VALUE));
      assertThat(store.get("orders/g1/1")).isEqualTo(OptionalLong.empty());
    }
  }

  @Test
  void unflushedChangesAreNotOnDisk() {
    Path file = dir.resolve("positions");
    PositionStore store = PositionStore.open(file);
    store.put("a", 1);
    assertThat(file).doesNotExist();
    store.flush();
    store.put("a", 2);
    assertThat(PositionStore.open(file).get("a")).isEqualTo(OptionalLong.of(1));
  }

  @Test
  void aDamagedFileFailsLoudlyAndALeftoverTempFileIsIgnored() throws IOException {
    Path file = dir.resolve("positions");
    try (PositionStore store = PositionStore.open(file)) {
      store.put("a", 1);
    }
    Files.write(dir.resolve("positions.tmp"), new byte[] {1, 2, 3});
    assertThat(PositionStore.open(file).get("a")).isEqualTo(OptionalLong.of(1));
    assertThat(dir.resolve("positions.tmp")).doesNotExist();

    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 6] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> PositionStore.open(file))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(file.toString());
  }
}
