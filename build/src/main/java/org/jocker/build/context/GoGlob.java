package org.jocker.build.context;

import java.util.regex.Pattern;

/**
 * Go's filepath.Match syntax as a regular expression over "/"-separated paths: {@code *} any run
 * of characters but "/", {@code ?} one, {@code [...]} (or {@code [^...]}) a class, {@code \} an
 * escape. With {@code doubleStar} (.dockerignore, Docker's pattern matcher) {@code **} also
 * matches any number of whole elements; without it (COPY sources) it is two {@code *}.
 */
final class GoGlob {
  private GoGlob() {}

  static boolean hasWildcard(String text) {
    return text.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '\\');
  }

  /** The regular expression, unanchored; a bad pattern ("[a", a trailing "\") is refused. */
  static String toRegex(String pattern, boolean doubleStar) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i++);
      switch (c) {
        case '*' -> {
          if (doubleStar && i < pattern.length() && pattern.charAt(i) == '*') {
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
    return re.toString();
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
      throw syntaxError(pattern); // Go's ErrBadPattern
    }
    re.append("(?!/)").append(cls).append(']');
    return i + 1;
  }

  private static IgnorePatternException syntaxError(String pattern) {
    return new IgnorePatternException("syntax error in pattern: \"" + pattern + "\"");
  }
}
