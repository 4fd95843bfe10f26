package org.jocker.build.context;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One .dockerignore pattern, as Docker's pattern matcher reads it: Go's filepath.Match syntax
 * ({@code *} and {@code ?} within one path element, {@code [...]} classes, {@code \} escapes) plus
 * {@code **} for any number of elements, anchored at the context's root; {@code !} makes it an
 * exception.
 */
public record IgnorePattern(String text, boolean exception, Pattern regex, List<String> elements) {

  /** A cleaned pattern (no leading "!"), compiled. */
  static IgnorePattern compile(String pattern, boolean exception) {
    Pattern regex = Pattern.compile("^" + GoGlob.toRegex(pattern, true) + "$", Pattern.DOTALL);
    return new IgnorePattern(pattern, exception, regex, List.of(pattern.split("/")));
  }

  /** Whether this pattern names {@code path} or one of its parent directories. */
  boolean matches(String path) {
    if (regex.matcher(path).matches()) {
      return true;
    }
    int slash = path.indexOf('/');
    while (slash >= 0) {
      if (regex.matcher(path.substring(0, slash)).matches()) {
        return true;
      }
      slash = path.indexOf('/', slash + 1);
    }
    return false;
  }

  /**
   * Whether something below directory {@code dir} might match: its literal leading elements agree
   * with the directory's until a wildcard. The walk enters an excluded directory only for this.
   */
  boolean mayMatchBelow(String dir) {
    String[] parts = dir.split("/");
    for (int i = 0; i < parts.length; i++) {
      if (i >= elements.size()) {
        return true; // the pattern names a parent of dir
      }
      String element = elements.get(i);
      if (GoGlob.hasWildcard(element)) {
        return true;
      }
      if (!element.equals(parts[i])) {
        return false;
      }
    }
    return true;
  }
}
