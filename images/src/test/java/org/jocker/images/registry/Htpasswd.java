package org.jocker.images.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A registry's Basic authentication for tests: one user in an htpasswd file made by {@code htpasswd -B}. */
public final class Htpasswd {
  private Htpasswd() {}

  /** Writes {@code dir/htpasswd} and returns the registry's {@code auth:} section using it. */
  public static String registryConfig(Path dir, String user, String password) throws IOException {
    Process p = new ProcessBuilder("htpasswd", "-Bbn", user, password).start();
    String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("htpasswd -Bbn failed: " + line);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    Path file = dir.resolve("htpasswd");
    Files.writeString(file, line);
    return "auth:\n  htpasswd:\n    realm: jocker-test\n    path: " + file + "\n";
  }
}
