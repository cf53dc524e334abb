package dev.felix.server.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.felix.error.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's file: written whole, read back, never half. */
class EmbeddedMetadataStoreTest {
  @TempDir Path dir;

  @Test
  void changesAreDurableAndVersioned() {
    EmbeddedMetadataStore store = EmbeddedMetadataStore.open(dir);
    assertThat(store.current().version()).isZero();
    store.apply(new MetadataChange.PutTenant(new MetadataSnapshot.Tenant("acme", "t0")));
    store.apply(
        new MetadataChange.PutNamespace(new MetadataSnapshot.Namespace("acme", "prod", "t1")));
    store.apply(
        new MetadataChange.PutCache(
            new MetadataSnapshot.Cache("acme", "prod", "c", 1 << 20, 1000, 0, 4096)));
    MetadataSnapshot last =
        store.apply(new MetadataChange.PutPolicy("acme", new ObjectMapper().createObjectNode()));
    assertThat(last.version()).isEqualTo(4);

    MetadataSnapshot reopened = EmbeddedMetadataStore.open(dir).current();
    assertThat(reopened).isEqualTo(last);
    assertThat(reopened.hasNamespace("acme", "prod")).isTrue();
    assertThat(reopened.hasNamespace("default", "default")).isTrue();
    assertThat(reopened.hasNamespace("acme", "dev")).isFalse();
  }

  @Test
  void removingATenantRemovesWhatIsUnderItOnly() {
    EmbeddedMetadataStore store = EmbeddedMetadataStore.open(dir);
    for (String tenant : new String[] {"acme", "acme2"}) {
      store.apply(new MetadataChange.PutTenant(new MetadataSnapshot.Tenant(tenant, "t")));
      store.apply(
          new MetadataChange.PutNamespace(new MetadataSnapshot.Namespace(tenant, "ns", "t")));
      store.apply(
          new MetadataChange.PutStream(
              new MetadataSnapshot.MemoryStream(tenant, "ns", "s", 1, "block")));
    }
    MetadataSnapshot after = store.apply(new MetadataChange.RemoveTenant("acme"));
    assertThat(after.tenants()).containsOnlyKeys("acme2");
    assertThat(after.namespaces()).containsOnlyKeys("acme2/ns");
    assertThat(after.streams()).containsOnlyKeys("acme2/ns/s");
  }

  @Test
  void anUnfinishedWriteIsIgnoredAndACorruptFileRefusesToOpen() throws Exception {
    EmbeddedMetadataStore store = EmbeddedMetadataStore.open(dir);
    store.apply(new MetadataChange.PutTenant(new MetadataSnapshot.Tenant("acme", "t")));
    Files.writeString(dir.resolve(EmbeddedMetadataStore.FILE + ".tmp"), "{\"version\": 9");
    assertThat(EmbeddedMetadataStore.open(dir).current().tenants()).containsOnlyKeys("acme");
    assertThat(dir.resolve(EmbeddedMetadataStore.FILE + ".tmp")).doesNotExist();

    Files.writeString(dir.resolve(EmbeddedMetadataStore.FILE), "{\"version\": 9");
    assertThatThrownBy(() -> EmbeddedMetadataStore.open(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("unreadable");
  }
}
