package org.jocker.images.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jocker.images.ImageException;
import org.jocker.images.NotFoundException;
import org.jocker.images.digest.Digest;
import org.jocker.images.reference.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
  @TempDir Path root;

  static final Digest CONFIG_A = Digest.parse("sha256:abcd1111" + "0".repeat(56));
  static final Digest CONFIG_B = Digest.parse("sha256:abcd2222" + "0".repeat(56));
  static final Digest MANIFEST_A = Digest.sha256("manifest a");
  static final Digest MANIFEST_B = Digest.sha256("manifest b");
  static final Digest INDEX_A = Digest.sha256("index a");

  static Reference ref(String s) {
    return Reference.parse(s);
  }

  @Test
  void addAndResolveByNameIdAndDigest() {
    ImageStore store = ImageStore.open(root);
    Image added = store.add(INDEX_A, MANIFEST_A, CONFIG_A, List.of(ref("busybox")));
    assertThat(added.id()).isEqualTo(CONFIG_A);
    assertThat(added.manifestDigest()).isEqualTo(MANIFEST_A);
    assertThat(added.indexDigest()).isEqualTo(INDEX_A);
    assertThat(added.references()).containsExactly(ref("docker.io/library/busybox:latest"));

    assertThat(store.resolve("busybox").id()).isEqualTo(CONFIG_A);
    assertThat(store.resolve("busybox:latest").id()).isEqualTo(CONFIG_A);
    assertThat(store.resolve("docker.io/library/busybox:latest").id()).isEqualTo(CONFIG_A);
    assertThat(store.resolve(CONFIG_A.toString()).id()).isEqualTo(CONFIG_A);
    assertThat(store.resolve(CONFIG_A.encoded()).id()).isEqualTo(CONFIG_A);
    assertThat(store.resolve("abcd1111").id()).isEqualTo(CONFIG_A);
    assertThat(store.resolve("sha256:abcd1111").id()).isEqualTo(CONFIG_A);
    assertThat(store.resolve(MANIFEST_A.toString()).id()).isEqualTo(CONFIG_A);
    assertThat(store.resolve("busybox@" + INDEX_A).id()).isEqualTo(CONFIG_A);
    assertThat(store.resolve(added.shortId()).id()).isEqualTo(CONFIG_A);
  }

  @Test
  void unknownNamesAndAmbiguousPrefixes() {
    ImageStore store = ImageStore.open(root);
    store.add(MANIFEST_A, CONFIG_A, ref("busybox"));
    store.add(MANIFEST_B, CONFIG_B, ref("alpine"));
    assertThatThrownBy(() -> store.resolve("nginx"))
        .isInstanceOf(NotFoundException.class).hasMessage("No such image: nginx:latest");
    assertThatThrownBy(() -> store.resolve("abcd"))
        .isInstanceOf(ImageException.class)
        .hasMessage("image ID prefix abcd is ambiguous: it matches 2 images");
    assertThatThrownBy(() -> store.resolve("abc")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> store.resolve("busybox@" + MANIFEST_B)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void tagMovesANameAndUntagLeavesTheImage() {
    ImageStore store = ImageStore.open(root);
    store.add(MANIFEST_A, CONFIG_A, ref("busybox"));
    store.add(MANIFEST_B, CONFIG_B, ref("alpine"));

    Image tagged = store.tag("busybox", "localhost:5000/mine/box:v1");
    assertThat(tagged.references()).containsExactlyInAnyOrder(
        ref("busybox:latest"), ref("localhost:5000/mine/box:v1"));

    store.tag("alpine", "busybox:latest");
    assertThat(store.resolve("busybox").id()).isEqualTo(CONFIG_B);
    assertThat(store.get(CONFIG_A).references()).containsExactly(ref("localhost:5000/mine/box:v1"));

    Image untagged = store.untag(ref("localhost:5000/mine/box:v1"));
    assertThat(untagged.id()).isEqualTo(CONFIG_A);
    assertThat(untagged.references()).isEmpty();
    assertThat(store.list()).extracting(Image::id).contains(CONFIG_A);
    assertThatThrownBy(() -> store.untag(ref("localhost:5000/mine/box:v1")))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("No such image: localhost:5000/mine/box:v1");
  }

  @Test
  void tagOfUnknownSourceFails() {
    ImageStore store = ImageStore.open(root);
    assertThatThrownBy(() -> store.tag("ghost", "other"))
        .isInstanceOf(NotFoundException.class).hasMessage("No such image: ghost:latest");
  }

  @Test
  void removeDropsImageAndItsNames() {
    ImageStore store = ImageStore.open(root);
    store.add(MANIFEST_A, CONFIG_A, ref("busybox"), ref("busybox:1.36"));
    store.add(MANIFEST_B, CONFIG_B, ref("alpine"));
    Image removed = store.remove(CONFIG_A);
    assertThat(removed.references()).hasSize(2);
    assertThat(store.list()).extracting(Image::id).containsExactly(CONFIG_B);
    assertThatThrownBy(() -> store.resolve("busybox:1.36")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> store.remove(CONFIG_A)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void persistsAcrossInstances() throws Exception {
    ImageStore first = ImageStore.open(root);
    first.add(INDEX_A, MANIFEST_A, CONFIG_A, List.of(ref("busybox"), ref("user/repo:tag")));
    first.add(MANIFEST_B, CONFIG_B);

    ImageStore second = ImageStore.open(root);
    assertThat(second.list()).hasSize(2);
    Image a = second.resolve("user/repo:tag");
    assertThat(a.id()).isEqualTo(CONFIG_A);
    assertThat(a.indexDigest()).isEqualTo(INDEX_A);
    assertThat(a.references()).containsExactlyInAnyOrder(ref("busybox"), ref("user/repo:tag"));
    assertThat(second.get(CONFIG_B).references()).isEmpty();
    assertThat(second.get(CONFIG_B).indexDigest()).isNull();

    assertThat(root.resolve("images/sha256/" + CONFIG_A.encoded() + ".json")).exists();
    assertThat(Files.readString(root.resolve("refs.json")))
        .contains("\"docker.io/library/busybox:latest\" : \"" + CONFIG_A + "\"");
    // No temp files are left beside the store's files.
    try (var files = Files.walk(root)) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void addingAgainKeepsTheAddedTimeAndUpdatesTheManifest() {
    ImageStore store = ImageStore.open(root);
    Image first = store.add(MANIFEST_A, CONFIG_A, ref("busybox"));
    Image again = store.add(MANIFEST_B, CONFIG_A, ref("busybox:1.36"));
    assertThat(again.added()).isEqualTo(first.added());
    assertThat(again.manifestDigest()).isEqualTo(MANIFEST_B);
    assertThat(again.references()).hasSize(2);
  }

  @Test
  void concurrentTaggingFromManyThreadsLosesNothing() throws Exception {
    ImageStore store = ImageStore.open(root);
    store.add(MANIFEST_A, CONFIG_A);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Image>> results = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String tag = "repo:t" + i;
        // Each thread uses its own instance, as separate processes would.
        results.add(pool.submit(() -> ImageStore.open(root).tag(CONFIG_A.toString(), tag)));
      }
      for (Future<Image> r : results) {
        r.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.get(CONFIG_A).references()).hasSize(20);
  }

  @Test
  void chainIds() {
    Digest l0 = Digest.sha256("layer 0");
    Digest l1 = Digest.sha256("layer 1");
    Digest l2 = Digest.sha256("layer 2");
    List<Digest> chain = ChainId.chain(List.of(l0, l1, l2));
    assertThat(chain.get(0)).isEqualTo(l0);
    assertThat(chain.get(1)).isEqualTo(Digest.sha256(l0 + " " + l1));
    assertThat(chain.get(2)).isEqualTo(Digest.sha256(chain.get(1) + " " + l2));
    assertThat(ChainId.of(List.of(l0, l1, l2))).isEqualTo(chain.get(2));
    assertThat(ChainId.chain(List.of())).isEmpty();
    assertThatThrownBy(() -> ChainId.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chainIdMatchesAKnownValue() {
    // Value computed independently: printf 'sha256:<a> sha256:<b>' | sha256sum
    Digest a = Digest.parse("sha256:" + "a".repeat(64));
    Digest b = Digest.parse("sha256:" + "b".repeat(64));
    assertThat(ChainId.of(List.of(a, b))).hasToString(KNOWN_AB);
  }

  static final String KNOWN_AB = "sha256:ccd722928bd92476ba1745586fed6e45a102504185ad88cd89e01ff116fd146c";
}
