package org.jocker.cli.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

  /**
   * Puts the compiled probe into dir; returns dir. The binary is kept beside the test classes,
   * named by the source's digest, so the next run reuses it: scripts/test-v2's emulated VM, which
   * sees this checkout read-only, would otherwise spend minutes in gcc.
   */
  static Path compile(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path source = dir.resolve("probe.c");
    try (InputStream in = Probe.class.getResourceAsStream("probe.c")) {
      Files.copy(in, source);
    }
    Path binary = dir.resolve("probe");
    Path kept = keptBinary(source);
    if (Files.isRegularFile(kept)) {
      Files.copy(kept, binary);
      return dir;
    }
    Jocker.tool(dir, "gcc", "-static", "-O2", "-Wall", "-Werror", "-o", binary.toString(), source.toString());
    try {
      Files.createDirectories(kept.getParent());
      Path part = Files.createTempFile(kept.getParent(), "probe", ".part");
      Files.copy(binary, part, StandardCopyOption.REPLACE_EXISTING);
      Files.move(part, kept, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException readOnly) {
      // a checkout shared read-only: the next run compiles again
    }
    return dir;
  }

  /** target/breakout-probe/probe-SHA256 of the module whose test classes hold this class. */
  private static Path keptBinary(Path source) throws IOException {
    try {
      Path testClasses = Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return testClasses.resolveSibling("breakout-probe").resolve("probe-" + sha256(source));
    } catch (URISyntaxException e) {
      throw new IOException("where the test classes are: " + e.getMessage(), e);
    }
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
