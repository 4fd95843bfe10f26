package org.jocker.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocker.cli.testing.Jocker;

/**
 * Builds in a test's directory with plain progress and an iidfile, and reads an image's files back
 * from `save` (its layers extracted in order into one directory): for images built FROM scratch,
 * checked without running a container.
 */
final class ScratchBuilds {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jocker jocker;
  private final Path tmp;

  ScratchBuilds(Jocker jocker, Path tmp) {
    this.jocker = jocker;
    this.tmp = tmp;
  }

  /** The directory {@code context} holding {@code dockerfile} as its Dockerfile. */
  Path context(String dockerfile) throws IOException {
    Path context = Files.createDirectories(tmp.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    return context;
  }

  Jocker.Result build(Path context, String... flags) {
    List<String> args = new ArrayList<>(List.of("build", "--progress=plain", "--iidfile", tmp.resolve("iid").toString()));
    args.addAll(List.of(flags));
    args.add(context.toString());
    return jocker.run(args.toArray(String[]::new));
  }

  /** Builds, which must succeed; the image's ID. */
  String buildId(Path context, String... flags) throws IOException {
    Jocker.Result build = build(context, flags);
    assertThat(build.code()).as(build.err()).isZero();
    return lastId();
  }

  /** The ID of the image the last successful build made. */
  String lastId() throws IOException {
    return Files.readString(tmp.resolve("iid")).strip();
  }

  /** The image's files: its layers, as `save` writes them, extracted in order into a new directory. */
  Path extract(String image, String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("saved-" + name));
    jocker.ok("save", "-o", dir.resolve("image.tar").toString(), image);
    Jocker.tool(dir, "tar", "-xf", "image.tar");
    Path root = Files.createDirectories(dir.resolve("rootfs"));
    for (JsonNode layer : JSON.readTree(dir.resolve("manifest.json").toFile()).get(0).get("Layers")) {
      Jocker.tool(root, "tar", "-xpf", dir.resolve(layer.asText()).toString());
    }
    return root;
  }
}
