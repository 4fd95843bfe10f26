package org.jocker.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build cache's records on disk: what a killed writer or a damaged file leaves is no record. */
class BuildCacheTest {
  @TempDir Path dir;

  private static final String KEY = "a".repeat(64);

  @Test
  void aRecordComesBackWithItsLayersAndTime() {
    BuildCache cache = new BuildCache(dir);
    LayerStack stack = new LayerStack(List.of(layer("one"), layer("two")));
    Instant created = Instant.parse("2026-12-07T10:00:00Z");

    cache.record(KEY, stack, created);

    BuildCache.Entry entry = cache.find(KEY).orElseThrow();
    assertThat(entry.stack()).isEqualTo(stack);
    assertThat(entry.created()).isEqualTo(created);
    assertThat(cache.chains()).containsExactlyInAnyOrderElementsOf(stack.chainIds());
    assertThat(cache.blobs()).containsExactlyInAnyOrder(layer("one").digest(), layer("two").digest());
    assertThat(cache.find("b".repeat(64))).isEmpty();
  }

  @Test
  void aKilledWritersTempAndADamagedRecordAreNoRecords() throws IOException {
    BuildCache cache = new BuildCache(dir);
    cache.record(KEY, new LayerStack(List.of(layer("one"))), Instant.now());
    // a writer killed before its rename (a pid above pid_max: gone), and a record cut short
    Path temp = Files.writeString(dir.resolve("." + "b".repeat(64) + ".json.4194305-12345-ab.tmp"), "{\"lay");
    Files.writeString(dir.resolve("c".repeat(64) + ".json"), "{\"layers\": [");

    assertThat(cache.list()).extracting(BuildCache.Entry::key).containsExactly(KEY);
    assertThat(cache.find("c".repeat(64))).isEmpty();
    cache.removeLeftovers();
    assertThat(temp).doesNotExist();
    assertThat(cache.find(KEY)).isPresent();
  }

  private static LayerStack.Layer layer(String content) {
    Digest digest = Digest.sha256(content.getBytes(StandardCharsets.UTF_8));
    Digest diffId = Digest.sha256(("diff " + content).getBytes(StandardCharsets.UTF_8));
    return new LayerStack.Layer(digest, 10, MediaTypes.OCI_LAYER_GZIP, diffId);
  }
}
