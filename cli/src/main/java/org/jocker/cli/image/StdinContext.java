package org.jocker.cli.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jocker.build.executor.Archives;

/**
 * `jocker build -`: what comes on stdin is either a tar of the context (plain or gzip), extracted
 * into a temporary directory, or a Dockerfile alone (an empty context), as Docker decides it.
 */
final class StdinContext {
  private static final int HEAD = 512;

  private StdinContext() {}

  /** Fills {@code dir} from {@code stdin}; returns the Dockerfile's text if stdin was one, else null. */
  static String receive(InputStream stdin, Path dir) throws IOException {
    BufferedInputStream in = new BufferedInputStream(stdin, HEAD * 2);
    in.mark(HEAD);
    byte[] head = in.readNBytes(HEAD);
    in.reset();
    String flag = Archives.streamFlag(head);
    if (flag == null) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Archives.extract(in, flag, dir, "the build context");
    return null;
  }

  static Path temporaryDirectory() throws IOException {
    return Files.createTempDirectory("jocker-build-context-");
  }
}
