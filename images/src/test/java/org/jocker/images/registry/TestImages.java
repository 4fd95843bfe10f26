package org.jocker.images.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A small image (umoci's empty one) pushed to a test registry by skopeo. */
public final class TestImages {
  private TestImages() {}

  /**
   * Pushes an empty image as {@code registry/repository:tag}; {@code destinationFlags} are
   * skopeo's ({@code --dest-creds u:p}, {@code --dest-tls-verify=false}, {@code --dest-cert-dir D}).
   */
  public static void push(Path dir, String registry, String repository, String tag, String... destinationFlags)
      throws IOException {
    Path layout = dir.resolve("layout");
    if (!Files.exists(layout)) {
      run(dir, "umoci", "init", "--layout", layout.toString());
      run(dir, "umoci", "new", "--image", layout + ":t");
    }
    List<String> copy = new ArrayList<>(List.of("skopeo", "copy", "--quiet"));
    copy.addAll(List.of(destinationFlags));
    copy.add("oci:" + layout + ":t");
    copy.add("docker://" + registry + "/" + repository + ":" + tag);
    run(dir, copy.toArray(String[]::new));
  }

  private static void run(Path dir, String... command) throws IOException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
