package org.jocker.build.context;

import java.util.ArrayList;
import java.util.List;

/**
 * Docker's pattern matcher, as a .dockerignore file uses it (and COPY --exclude, and the pattern of
 * COPY --parents): one pattern a line; a line starting with {@code #} in its first column is a
 * comment; lines are trimmed; {@code !} makes an exception; each pattern is cleaned as Go's
 * filepath.Clean does and loses one leading {@code /}. A path matches when the last pattern
 * matching it (or a parent directory of it) is not an exception.
 */
public final class DockerIgnore {
  public static final DockerIgnore NONE = new DockerIgnore(List.of());

  private final List<IgnorePattern> patterns;

  private DockerIgnore(List<IgnorePattern> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  public static DockerIgnore parse(String text) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return of(text.lines().filter(line -> !line.startsWith("#")).toList());
  }

  /** The patterns given one by one (COPY's --exclude flags): no comments, blank ones skipped. */
  public static DockerIgnore of(List<String> lines) {
    List<IgnorePattern> patterns = new ArrayList<>();
    for (String line : lines) {
      String pattern = line.strip();
      if (pattern.isEmpty()) {
        continue;
      }
      boolean exception = pattern.startsWith("!");
      if (exception) {
        pattern = pattern.substring(1).strip();
        if (pattern.isEmpty()) {
          throw new IgnorePatternException("illegal exclusion pattern: \"!\"");
        }
      }
      pattern = SlashPaths.clean(pattern);
      if (pattern.length() > 1 && pattern.startsWith("/")) {
        pattern = pattern.substring(1);
      }
      patterns.add(IgnorePattern.compile(pattern, exception));
    }
    return new DockerIgnore(patterns);
  }

  public List<IgnorePattern> patterns() {
    return patterns;
  }

  /** Whether the patterns name {@code path} ("/"-separated, relative to where they apply). */
  public boolean matches(String path) {
    String clean = SlashPaths.clean(path);
    boolean excluded = false;
    for (IgnorePattern pattern : patterns) {
      // An exclusion only matters while the path is in, an exception while it is out.
      if (pattern.exception() != excluded) {
        continue;
      }
      if (pattern.matches(clean)) {
        excluded = !pattern.exception();
      }
    }
    return excluded;
  }

  /** Whether an exception could bring back something below excluded directory {@code dir}. */
  boolean mayReincludeBelow(String dir) {
    return patterns.stream().anyMatch(p -> p.exception() && p.mayMatchBelow(dir));
  }
}
