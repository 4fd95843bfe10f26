package org.jocker.cli.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jocker.cli.testing.Jocker;

/**
 * The breakout probe (probe.c beside this class in the test resources), compiled statically on the
 * host into a directory that the tests bind-mount read-only at /probe in a container.
 */
final class Probe {
  static final String CONTAINER_DIR = "/probe";

  private Probe() {}

  /** Compiles probe.c into dir; returns dir. */
  static Path compile(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path source = dir.resolve("probe.c");
    try (InputStream in = Probe.class.getResourceAsStream("probe.c")) {
      Files.copy(in, source);
    }
    Jocker.tool(dir, "gcc", "-static", "-O2", "-Wall", "-Werror", "-o", dir.resolve("probe").toString(),
        source.toString());
    return dir;
  }

  /** The probe's "NAME RESULT" lines as a map, in order. */
  static Map<String, String> results(String output) {
    Map<String, String> out = new LinkedHashMap<>();
    output.lines().map(l -> l.split(" ", 2)).filter(p -> p.length == 2).forEach(p -> out.put(p[0], p[1]));
    return out;
  }

  static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
