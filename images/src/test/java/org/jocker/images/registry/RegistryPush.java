package org.jocker.images.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Puts images into a test registry: with skopeo from an image layout or archive (as a user
 * would), or a manifest (an index skopeo cannot make) with a plain PUT of the distribution API.
 */
public final class RegistryPush {
  private RegistryPush() {}

  public static boolean skopeoInstalled() {
    return Files.isExecutable(Path.of("/usr/bin/skopeo"));
  }

  /** {@code skopeo copy SOURCE docker://HOST/DEST} over plain http, with extra flags (compression). */
  public static void copy(String source, RegistryServer registry, String destination, String... flags)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false"));
    command.addAll(List.of(flags));
    command.add(source);
    command.add("docker://" + registry.host() + "/" + destination);
    run(command);
  }

  /** The manifest {@code skopeo inspect --raw} gets for {@code repository:tag}, as bytes. */
  public static byte[] rawManifest(RegistryServer registry, String reference) throws IOException, InterruptedException {
    return run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.host() + "/" + reference));
  }

  /** PUTs a manifest or index under {@code reference} (a tag or digest). */
  public static void putManifest(RegistryServer registry, String repository, String reference, byte[] bytes,
      String mediaType) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/" + repository + "/manifests/" + reference))
            .header("Content-Type", mediaType)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IOException("PUT manifest: " + response.statusCode() + " " + response.body());
    }
  }

  private static byte[] run(List<String> command) throws IOException, InterruptedException {
    Path stderr = Files.createTempFile("skopeo", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": timed out");
      }
      if (process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: "
            + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      return out;
    } finally {
      Files.deleteIfExists(stderr);
    }
  }
}
