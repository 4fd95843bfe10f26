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
    StringBuilder re = new StringBuilder("^");
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i++);
      switch (c) {
        case '*' -> {
          if (i < pattern.length() && pattern.charAt(i) == '*') {
            i++;
            if (i < pattern.length() && pattern.charAt(i) == '/') {
              i++;
            }
            re.append(i >= pattern.length() ? ".*" : "(.*/)?");
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '\\' -> {
          if (i >= pattern.length()) {
            throw syntaxError(pattern);
          }
          re.append(Pattern.quote(String.valueOf(pattern.charAt(i++))));
        }
        case '[' -> i = characterClass(pattern, i, re);
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    re.append('$');
    return new IgnorePattern(pattern, exception, Pattern.compile(re.toString(), Pattern.DOTALL),
        List.of(pattern.split("/")));
  }

  /** {@code [^a-z]}: copied as a Java class, its characters escaped; returns where it ends. */
  private static int characterClass(String pattern, int i, StringBuilder re) {
    StringBuilder cls = new StringBuilder("[");
    if (i < pattern.length() && pattern.charAt(i) == '^') {
      cls.append('^');
      i++;
    }
    boolean empty = true;
    while (i < pattern.length() && (pattern.charAt(i) != ']' || empty)) {
      char c = pattern.charAt(i++);
      if (c == '\\' && i < pattern.length()) {
        c = pattern.charAt(i++);
      } else if (c == '-' && !empty && i < pattern.length() && pattern.charAt(i) != ']') {
        cls.append('-');
        continue;
      }
      cls.append(Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
      empty = false;
    }
    if (i >= pattern.length()) {
      throw syntaxError(pattern); // "[a" is Go's ErrBadPattern
    }
    re.append("(?!/)").append(cls).append(']');
    return i + 1;
  }

  private static IgnorePatternException syntaxError(String pattern) {
    return new IgnorePatternException("syntax error in pattern: \"" + pattern + "\"");
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
      if (element.matches(".*[*?\\[\\\\].*")) {
        return true;
      }
      if (!element.equals(parts[i])) {
        return false;
      }
    }
    return true;
  }
}
