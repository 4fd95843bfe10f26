package org.jocker.build.dockerfile;

import java.util.List;
import java.util.Optional;

/**
 * What COPY and ADD share: sources (context paths, URLs, or heredocs written as files named after
 * their delimiter), the destination, and the flags both take.
 */
public record FileTransfer(
    List<Source> sources,
    String destination,
    Optional<String> chown,
    Optional<String> chmod,
    boolean link,
    List<String> excludes) {

  /** A source: a path or URL as written, or a heredoc. */
  public sealed interface Source {
    record Path(String path) implements Source {}

    record Inline(Heredoc heredoc) implements Source {}
  }
}
