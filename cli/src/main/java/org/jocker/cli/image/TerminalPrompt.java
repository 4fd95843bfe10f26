package org.jocker.cli.image;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jocker.engine.EngineException;
import org.jocker.kernel.Terminal;

/**
 * Questions to the caller at its terminal, as Docker's login asks them: a line as typed, or a
 * secret with echo off. Reads the caller's stdin descriptor itself, one byte at a time, so that
 * nothing after the answer is taken.
 */
final class TerminalPrompt {
  private final int fd;

  TerminalPrompt(int fd) {
    this.fd = fd;
  }

  String line(String prompt) {
    System.out.print(prompt);
    System.out.flush();
    return read(false);
  }

  /**
   * With the terminal raw (no echo) until the answer's end; the newline is printed after. Raw
   * before the prompt shows, so that nothing typed on seeing it is echoed.
   */
  String secret(String prompt) {
    Optional<Terminal.Settings> before = Terminal.makeRaw(fd);
    System.out.print(prompt);
    System.out.flush();
    try {
      return read(true);
    } finally {
      before.ifPresent(Terminal::restore);
      System.out.println();
    }
  }

  private String read(boolean raw) {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    try (InputStream in = new FileInputStream("/proc/self/fd/" + fd)) {
      for (int b = in.read(); b >= 0 && b != '\n' && b != '\r'; b = in.read()) {
        if (raw && b == 3) { // ^C in raw mode is only a byte: stop as the signal would
          throw EngineException.invalidArgument("interrupted").checkedByClient();
        }
        answer.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the terminal", e);
    }
    return answer.toString(StandardCharsets.UTF_8);
  }
}
