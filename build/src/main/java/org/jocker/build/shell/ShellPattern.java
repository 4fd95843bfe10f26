package org.jocker.build.shell;

import java.util.regex.Pattern;

/**
 * The pattern of {@code ${v#p}}, {@code ${v%p}} and {@code ${v/p/r}}: {@code *} any run of
 * characters, {@code ?} one, the escape character makes the next one literal. Docker's lexer knows
 * no bracket expressions here, so {@code [} is literal.
 */
final class ShellPattern {
  private final Pattern regex;

  private ShellPattern(Pattern regex) {
    this.regex = regex;
  }

  static ShellPattern compile(String pattern, char escape) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == escape && i + 1 < pattern.length()) {
        re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new ShellPattern(Pattern.compile(re.toString(), Pattern.DOTALL));
  }

  /** {@code value} without the shortest (or longest) prefix the pattern matches. */
  String removePrefix(String value, boolean longest) {
    for (int i = 0; i <= value.length(); i++) {
      int end = longest ? value.length() - i : i;
      if (regex.matcher(value.substring(0, end)).matches()) {
        return value.substring(end);
      }
    }
    return value;
  }

  /** {@code value} without the shortest (or longest) suffix the pattern matches. */
  String removeSuffix(String value, boolean longest) {
    for (int i = 0; i <= value.length(); i++) {
      int start = longest ? i : value.length() - i;
      if (regex.matcher(value.substring(start)).matches()) {
        return value.substring(0, start);
      }
    }
    return value;
  }

  /** The first (or every) longest leftmost match replaced. */
  String replace(String value, String replacement, boolean all) {
    var matcher = regex.matcher(value);
    String literal = java.util.regex.Matcher.quoteReplacement(replacement);
    return all ? matcher.replaceAll(literal) : matcher.replaceFirst(literal);
  }
}
