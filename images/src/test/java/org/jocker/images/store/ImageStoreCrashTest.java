package org.jocker.images.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jocker.images.store.ImageStoreTest.CONFIG_A;
import static org.jocker.images.store.ImageStoreTest.CONFIG_B;
import static org.jocker.images.store.ImageStoreTest.MANIFEST_A;
import static org.jocker.images.store.ImageStoreTest.MANIFEST_B;
import static org.jocker.images.store.ImageStoreTest.ref;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jocker.images.NotFoundException;
import org.jocker.kernel.ProcessStamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process killed after any file write of an add (load, import, commit) or a remove (rmi)
 * leaves a store that the next user shows as if the change had completed: a kill is acted by a
 * hook that throws after the chosen write, so nothing after it runs, as with SIGKILL.
 */
class ImageStoreCrashTest {
  /** Cannot be alive: pid_max is at most 2^22. */
  private static final String DEAD_WRITER = "4194305-12345";

  @TempDir Path root;

  private static final class Killed extends RuntimeException {}

  private ImageStore killedAfter(ImageStore.Step step) {
    ImageStore store = ImageStore.open(root);
    store.afterEachStep(s -> {
      if (s == step) {
        throw new Killed();
      }
    });
    return store;
  }

  @ParameterizedTest
  @EnumSource(value = ImageStore.Step.class, names = {"INTENT_WRITTEN", "RECORD_WRITTEN", "NAMES_WRITTEN"})
  void anAddKilledAfterItsIntentIsCompletedByTheNextOpen(ImageStore.Step step) throws IOException {
    ImageStore.open(root).add(MANIFEST_B, CONFIG_B, ref("busybox"), ref("other"));
    ImageStore dying = killedAfter(step);
    assertThatThrownBy(() -> dying.add(MANIFEST_A, CONFIG_A, ref("busybox"), ref("big:1")))
        .isInstanceOf(Killed.class);

    ImageStore next = ImageStore.open(root);
    assertThat(next.get(CONFIG_A).references()).containsExactlyInAnyOrder(ref("busybox"), ref("big:1"));
    assertThat(next.get(CONFIG_B).references()).containsExactly(ref("other"));
    assertThat(root.resolve("intent.json")).doesNotExist();
    assertThat(tempFiles()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = ImageStore.Step.class, names = {"INTENT_WRITTEN", "NAMES_WRITTEN", "RECORD_DELETED"})
  void aRemoveKilledAfterItsIntentIsCompletedByTheNextOpen(ImageStore.Step step) throws IOException {
    ImageStore first = ImageStore.open(root);
    first.add(MANIFEST_A, CONFIG_A, ref("big:1"), ref("big:2"));
    first.add(MANIFEST_B, CONFIG_B, ref("other"));
    ImageStore dying = killedAfter(step);
    assertThatThrownBy(() -> dying.remove(CONFIG_A)).isInstanceOf(Killed.class);

    ImageStore next = ImageStore.open(root);
    assertThat(next.list()).extracting(Image::id).containsExactly(CONFIG_B);
    assertThatThrownBy(() -> next.resolve("big:2")).isInstanceOf(NotFoundException.class);
    assertThat(next.get(CONFIG_B).references()).containsExactly(ref("other"));
    assertThat(root.resolve("intent.json")).doesNotExist();
    assertThat(tempFiles()).isEmpty();
  }

  /** The resident engine opened its store before another process died in the middle of a change. */
  @Test
  void aStoreOpenedBeforeTheKillFinishesTheChangeBeforeItsNextRead() {
    ImageStore resident = ImageStore.open(root);
    resident.add(MANIFEST_A, CONFIG_A, ref("big:1"));
    ImageStore dying = killedAfter(ImageStore.Step.NAMES_WRITTEN);
    assertThatThrownBy(() -> dying.remove(CONFIG_A)).isInstanceOf(Killed.class);
    assertThat(resident.list()).isEmpty();

    ImageStore dyingAdd = killedAfter(ImageStore.Step.RECORD_WRITTEN);
    assertThatThrownBy(() -> dyingAdd.add(MANIFEST_B, CONFIG_B, ref("b"))).isInstanceOf(Killed.class);
    assertThat(resident.resolve("b").id()).isEqualTo(CONFIG_B);
  }

  /** A kill inside the write of the intent (or of any file) leaves a temp file and no change. */
  @Test
  void aKillBeforeTheIntentIsWholeChangesNothingAndItsTempFilesGoAtTheNextOpen() throws IOException {
    ImageStore.open(root).add(MANIFEST_A, CONFIG_A, ref("big:1"));
    List<Path> leftovers = List.of(
        root.resolve(".intent.json." + DEAD_WRITER + "-1a2b.tmp"),
        root.resolve(".refs.json." + DEAD_WRITER + "-3c4d.tmp"),
        root.resolve("images/sha256/." + CONFIG_B.encoded() + ".json." + DEAD_WRITER + "-5e6f.tmp"),
        root.resolve(".refs.json.7f0e1d2c3b4a5968.tmp")); // the name older versions gave, with no writer
    for (Path leftover : leftovers) {
      Files.writeString(leftover, "{\"remove\":\"" + CONFIG_A + "\"");
    }
    ImageStore next = ImageStore.open(root);
    assertThat(tempFiles()).isEmpty();
    assertThat(next.list()).extracting(Image::id).containsExactly(CONFIG_A);
    assertThat(next.get(CONFIG_A).references()).containsExactly(ref("big:1"));
  }

  @Test
  void aLiveWritersTempFileIsKept() throws IOException {
    ImageStore.open(root);
    Path live = root.resolve(".refs.json." + ProcessStamp.current() + "-1a2b.tmp");
    Files.writeString(live, "{}");
    ImageStore.open(root);
    assertThat(live).exists();
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
