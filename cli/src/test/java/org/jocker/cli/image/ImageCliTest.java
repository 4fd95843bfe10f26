package org.jocker.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.jocker.runtime.testing.TestBundle;
import org.junit.jupiter.api.Test;

/** The image commands as a user runs them: output, errors, exit codes and what is left on disk. */
class ImageCliTest extends CliTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private String busyboxId() {
    jocker.ok("run", "--rm", "busybox", "true");
    return jocker.ok("images", "-q").out().strip();
  }

  private static List<String> files(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(Path::toString).toList();
    }
  }

  private List<String> blobs() throws IOException {
    return files(jocker.root().resolve("content/blobs"));
  }

  private List<String> snapshotDirs() throws IOException {
    Path dir = jocker.root().resolve("snapshots/snapshots");
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(Path::toString).toList();
    }
  }

  @Test
  void imagesListsTheBuiltinBusyboxAfterARun() {
    String id = busyboxId();
    assertThat(id).matches("[0-9a-f]{12}");
    List<String> lines = jocker.ok("images").out().lines().toList();
    assertThat(lines.get(0)).containsSubsequence("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1).split("\\s+")).startsWith("busybox", "latest", id);
    assertThat(jocker.ok("image", "ls", "-q").out().strip()).isEqualTo(id);
  }

  @Test
  void tagAddsANameAndRmiOfOneTagOnlyUntags() throws IOException {
    String id = busyboxId();
    assertThat(jocker.ok("tag", "busybox", "mine/box:v1").out()).isEmpty();
    List<String> lines = jocker.ok("images").out().lines().skip(1).toList();
    assertThat(lines).hasSize(2);
    assertThat(lines).anySatisfy(l -> assertThat(l.split("\\s+")).startsWith("mine/box", "v1", id));
    assertThat(lines).anySatisfy(l -> assertThat(l.split("\\s+")).startsWith("busybox", "latest", id));
    List<String> blobsBefore = blobs();

    Jocker.Result untag = jocker.ok("rmi", "mine/box:v1");
    assertThat(untag.out()).isEqualTo("Untagged: mine/box:v1\n");
    assertThat(jocker.ok("images", "-q").out().strip()).isEqualTo(id);
    assertThat(blobs()).containsExactlyInAnyOrderElementsOf(blobsBefore);
  }

  @Test
  void rmiOfTheLastNameDeletesTheImageAndFreesItsStorage() throws IOException {
    String id = busyboxId();
    String fullId = JSON.readTree(jocker.ok("image", "inspect", "busybox").out()).get(0).get("Id").asText();
    assertThat(fullId).startsWith("sha256:" + id);
    assertThat(blobs()).isNotEmpty();
    assertThat(snapshotDirs()).isNotEmpty();

    Jocker.Result rmi = jocker.ok("rmi", "busybox");
    assertThat(rmi.out()).isEqualTo("Untagged: busybox:latest\nDeleted: " + fullId + "\n");
    assertThat(blobs()).isEmpty();
    assertThat(snapshotDirs()).isEmpty();
    assertThat(jocker.ok("images", "-q").out()).isEmpty();
    assertThat(jocker.ok("image", "prune", "-a").out()).contains("Total reclaimed space: 0B");
    assertThat(blobs()).isEmpty();
    assertThat(files(jocker.root().resolve("content/ingest"))).isEmpty();
  }

  @Test
  void forcedRmiOfAnImageAContainerUsesOnlyUntagsItAndPruneRemovesItOnceFree() {
    String id = busyboxId();
    jocker.ok("tag", "busybox", "mine:1");
    jocker.ok("create", "--name", "user", "busybox", "true");
    Jocker.Result refused = jocker.run("rmi", id);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("must be forced");

    Jocker.Result forced = jocker.ok("rmi", "-f", id);
    assertThat(forced.out()).isEqualTo("Untagged: busybox:latest\nUntagged: mine:1\n");
    assertThat(jocker.ok("images").out()).contains("<none>");
    assertThat(jocker.ok("image", "prune").out()).doesNotContain("deleted: sha256:" + id);
    jocker.ok("rm", "user");
    assertThat(jocker.ok("image", "prune").out()).contains("sha256:" + id);
    assertThat(jocker.ok("images", "-q").out()).isEmpty();
  }

  @Test
  void rmiOfAnUnknownImageFails() {
    busyboxId();
    Jocker.Result r = jocker.run("rmi", "nosuch:1", "busybox");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("No such image").contains("nosuch:1");
    // Docker goes on with the other names.
    assertThat(r.out()).contains("Untagged: busybox:latest");
  }

  @Test
  void tagRefusesABadReference() {
    busyboxId();
    Jocker.Result r = jocker.run("tag", "busybox", "Bad:Tag");
    assertThat(r.code()).isEqualTo(125);
    assertThat(r.err()).contains("invalid reference format");
    assertThat(jocker.ok("images").out().lines().count()).isEqualTo(2);
  }

  @Test
  void historyShowsTheLayers() {
    String id = busyboxId();
    List<String> lines = jocker.ok("history", "busybox").out().lines().toList();
    assertThat(lines.get(0)).containsSubsequence("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
    assertThat(lines).hasSizeGreaterThan(1);
    assertThat(lines.get(1)).startsWith(id);
    assertThat(jocker.ok("image", "history", "-q", "busybox").out().lines().findFirst()).hasValue(id);
  }

  @Test
  void inspectShowsDockersFields() throws IOException {
    String id = busyboxId();
    JsonNode all = JSON.readTree(jocker.ok("image", "inspect", "busybox").out());
    assertThat(all.isArray()).isTrue();
    JsonNode image = all.get(0);
    assertThat(image.get("Id").asText()).startsWith("sha256:" + id);
    assertThat(image.get("RepoTags").toString()).isEqualTo("[\"busybox:latest\"]");
    assertThat(image.at("/RootFS/Layers").size()).isPositive();
    assertThat(image.at("/RootFS/Layers/0").asText()).startsWith("sha256:");
    assertThat(image.at("/Config/Cmd").toString()).isEqualTo("[\"sh\"]");
    Jocker.Result missing = jocker.run("image", "inspect", "nosuch");
    assertThat(missing.code()).isNotZero();
    assertThat(missing.err()).contains("No such image");
  }

  @Test
  void saveRmiLoadBringsTheSameImageBack() throws IOException {
    String id = busyboxId();
    Path archive = tmp.resolve("f.tar");
    assertThat(jocker.ok("save", "-o", archive.toString(), "busybox").out()).isEmpty();
    assertThat(archive).isNotEmptyFile();
    jocker.ok("rmi", "busybox");
    assertThat(blobs()).isEmpty();

    Jocker.Result load = jocker.ok("load", "-i", archive.toString());
    assertThat(load.out()).isEqualTo("Loaded image: busybox:latest\n");
    assertThat(jocker.ok("images", "-q").out().strip()).isEqualTo(id);
    jocker.ok("run", "--rm", "busybox", "true");
  }

  @Test
  void saveToADirectoryThatDoesNotExistIsDockersOneLineError() {
    Path missing = tmp.resolve("missing");
    Jocker.Result save = jocker.run("save", "-o", missing.resolve("f.tar").toString(), "busybox");
    assertThat(save.code()).isEqualTo(1);
    assertThat(save.err()).isEqualTo("jocker: failed to save image: invalid output path: directory \"" + missing
        + "\" does not exist\n");
    assertThat(missing).doesNotExist();
  }

  @Test
  void saveInOciFormatLoadsBack() throws IOException {
    String id = busyboxId();
    Path archive = tmp.resolve("oci.tar");
    jocker.ok("save", "--format", "oci", "-o", archive.toString(), "busybox");
    String listing = Jocker.tool(tmp, "tar", "-tf", archive.toString());
    assertThat(listing).contains("oci-layout").contains("index.json").contains("blobs/sha256/");
    jocker.ok("rmi", "busybox");
    assertThat(jocker.ok("load", "-i", archive.toString()).out()).contains("busybox:latest");
    assertThat(jocker.ok("images", "-q").out().strip()).isEqualTo(id);
  }

  @Test
  void importedRootfsRunsItsChangedCmd() throws IOException {
    Path rootfs = TestBundle.createRootfs(tmp.resolve("rootfs"));
    Path tar = tmp.resolve("rootfs.tar");
    Jocker.tool(rootfs, "tar", "-cf", tar.toString(), ".");
    Jocker.Result imported = jocker.ok("import", "--change", "CMD [\"echo\",\"hi\"]", tar.toString(), "imported:v1");
    assertThat(imported.out().strip()).matches("sha256:[0-9a-f]{64}");
    JsonNode image = JSON.readTree(jocker.ok("image", "inspect", "imported:v1").out()).get(0);
    assertThat(image.at("/Config/Cmd").toString()).isEqualTo("[\"echo\",\"hi\"]");

    Jocker.Result run = jocker.exec("run", "--rm", "imported:v1");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("hi\n");
  }

  @Test
  void loadOfATruncatedArchiveFailsAndChangesNothing() throws IOException {
    busyboxId();
    Path archive = tmp.resolve("f.tar");
    jocker.ok("save", "-o", archive.toString(), "busybox");
    jocker.ok("tag", "busybox", "other:1");
    jocker.ok("rmi", "busybox");
    String before = jocker.ok("images").out();
    try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    Jocker.Result r = jocker.run("load", "-i", archive.toString());
    assertThat(r.code()).isEqualTo(125);
    assertThat(r.err().strip()).isNotEmpty().doesNotContain("\n").doesNotContain("Exception");
    assertThat(r.out()).isEmpty();
    assertThat(jocker.ok("images").out()).isEqualTo(before);
    assertThat(files(jocker.root().resolve("content/ingest"))).isEmpty();
  }
}
