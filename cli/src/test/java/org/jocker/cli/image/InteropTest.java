package org.jocker.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jocker.cli.testing.Jocker;
import org.jocker.runtime.testing.TestBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images made by umoci and skopeo load and run with their whiteouts applied (a deleted file, an
 * opaque directory, a zstd layer); what `save` writes, skopeo reads and umoci unpacks to the
 * tree the container sees.
 */
class InteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What the container shows of the layered paths, one line each. */
  private static final String PROBE = "test -e /etc/gone && echo gone-present; cat /etc/layer2; "
      + "ls /opt/dir | tr '\\n' ' '; echo; cat /opt/dir/only";
  private static final String EXPECTED = "two\nonly \nopaque\n";
  @TempDir Path tmp;
  private Jocker jocker;
  private Path layout;

  @BeforeEach
  void buildImage() throws IOException {
    jocker = new Jocker(tmp.resolve("root"));
    layout = tmp.resolve("L");
    Jocker.tool(tmp, "umoci", "init", "--layout", layout.toString());
    Jocker.tool(tmp, "umoci", "new", "--image", layout + ":t");
    // Layer 1: busybox, a file to delete later, a directory to replace.
    Path b1 = tmp.resolve("B1");
    Jocker.tool(tmp, "umoci", "unpack", "--image", layout + ":t", b1.toString());
    TestBundle.createRootfs(b1.resolve("rootfs"));
    Files.writeString(b1.resolve("rootfs/etc/gone"), "gone\n");
    Files.createDirectories(b1.resolve("rootfs/opt/dir"));
    Files.writeString(b1.resolve("rootfs/opt/dir/old1"), "1\n");
    Files.writeString(b1.resolve("rootfs/opt/dir/old2"), "2\n");
    Jocker.tool(tmp, "umoci", "repack", "--image", layout + ":t", b1.toString());
    // Layer 2: umoci writes .wh.gone for the deleted file.
    Path b2 = tmp.resolve("B2");
    Jocker.tool(tmp, "umoci", "unpack", "--image", layout + ":t", b2.toString());
    Files.delete(b2.resolve("rootfs/etc/gone"));
    Files.writeString(b2.resolve("rootfs/etc/layer2"), "two\n");
    Files.writeString(b2.resolve("rootfs/opt/dir/new"), "n\n");
    Jocker.tool(tmp, "umoci", "repack", "--image", layout + ":t", b2.toString());
    // Layer 3, by hand: /opt/dir opaque, so only its own content is left there.
    Path stage = Files.createDirectories(tmp.resolve("stage/opt/dir"));
    Files.createFile(stage.resolve(".wh..wh..opq"));
    Files.writeString(stage.resolve("only"), "opaque\n");
    Path layer3 = tmp.resolve("layer3.tar");
    Jocker.tool(tmp.resolve("stage"), "tar", "--owner=0", "--group=0", "-cf", layer3.toString(), "opt");
    Jocker.tool(tmp, "umoci", "raw", "add-layer", "--image", layout + ":t", layer3.toString());
  }

  @AfterEach
  void noMountLeft() {
    assertThat(jocker.mountsLeft()).isEmpty();
  }

  private String probe(String image) {
    Jocker.Result run = jocker.exec("run", "--rm", image, "sh", "-c", PROBE);
    assertThat(run.code()).as(run.err()).isZero();
    return run.out();
  }

  @Test
  void skopeoDockerArchiveRunsWithWhiteoutsApplied() {
    Path archive = tmp.resolve("x.tar");
    Jocker.tool(tmp, "skopeo", "copy", "oci:" + layout + ":t", "docker-archive:" + archive + ":foo/bar:t");
    assertThat(jocker.ok("load", "-i", archive.toString()).out()).isEqualTo("Loaded image: foo/bar:t\n");
    assertThat(probe("foo/bar:t")).isEqualTo(EXPECTED);
  }

  @Test
  void skopeoZstdOciArchiveRuns() throws IOException {
    Path archive = tmp.resolve("z.tar");
    Jocker.tool(tmp, "skopeo", "copy", "--dest-compress-format", "zstd",
        "oci:" + layout + ":t", "oci-archive:" + archive + ":foo/zstd:t");
    Path manifestList = tmp.resolve("z");
    Files.createDirectories(manifestList);
    Jocker.tool(manifestList, "tar", "-xf", archive.toString());
    assertThat(Jocker.tool(manifestList, "sh", "-c", "cat blobs/sha256/*")).contains("tar+zstd");
    assertThat(jocker.ok("load", "-i", archive.toString()).out()).contains("foo/zstd:t");
    assertThat(probe("foo/zstd:t")).isEqualTo(EXPECTED);
  }

  @Test
  void whatSaveWritesSkopeoReadsAndUmociUnpacksToTheSameTree() throws IOException {
    Path in = tmp.resolve("x.tar");
    Jocker.tool(tmp, "skopeo", "copy", "oci:" + layout + ":t", "docker-archive:" + in + ":foo/bar:t");
    jocker.ok("load", "-i", in.toString());

    Path docker = tmp.resolve("saved-docker.tar");
    jocker.ok("save", "-o", docker.toString(), "foo/bar:t");
    JsonNode inspect = JSON.readTree(Jocker.tool(tmp, "skopeo", "inspect", "docker-archive:" + docker));
    assertThat(inspect.get("Layers").size()).isEqualTo(3);
    // skopeo inspect lists no tags for archives; the name is in manifest.json
    JsonNode manifest = JSON.readTree(Jocker.tool(tmp, "tar", "-xOf", docker.toString(), "manifest.json"));
    assertThat(manifest.at("/0/RepoTags").toString()).isEqualTo("[\"foo/bar:t\"]");

    Path oci = tmp.resolve("saved-oci.tar");
    jocker.ok("save", "--format", "oci", "-o", oci.toString(), "foo/bar:t");
    Path ociDir = Files.createDirectories(tmp.resolve("saved-oci"));
    Jocker.tool(ociDir, "tar", "-xf", oci.toString());
    JsonNode index = JSON.readTree(ociDir.resolve("index.json").toFile());
    String ref = index.at("/manifests/0/annotations").path("org.opencontainers.image.ref.name").asText();
    assertThat(ref).isNotEmpty();
    assertThat(JSON.readTree(Jocker.tool(tmp, "skopeo", "inspect", "oci-archive:" + oci)).get("Layers").size())
        .isEqualTo(3);

    Path unpacked = tmp.resolve("U");
    Jocker.tool(tmp, "umoci", "unpack", "--image", ociDir + ":" + ref, unpacked.toString());
    Path rootfs = unpacked.resolve("rootfs");
    assertThat(Files.readString(rootfs.resolve("opt/dir/only"))).isEqualTo("opaque\n");
    List<String> hostTree = tree(rootfs, "bin", "opt", "etc/layer2", "etc/gone");
    Jocker.Result inContainer = jocker.exec("run", "--rm", "foo/bar:t", "sh", "-c",
        "cd / && find bin opt etc/layer2 etc/gone 2>/dev/null | sort");
    assertThat(inContainer.out().lines().toList()).isEqualTo(hostTree);
    assertThat(probe("foo/bar:t")).isEqualTo(EXPECTED);
  }

  private static List<String> tree(Path rootfs, String... tops) throws IOException {
    Stream<String> all = Stream.empty();
    for (String top : tops) {
      Path start = rootfs.resolve(top);
      if (Files.exists(start, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> walk = Files.walk(start)) {
          all = Stream.concat(all, walk.map(p -> rootfs.relativize(p).toString()).toList().stream());
        }
      }
    }
    return all.sorted().toList();
  }
}
