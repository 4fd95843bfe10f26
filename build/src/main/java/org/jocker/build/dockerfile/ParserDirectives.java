package org.jocker.build.dockerfile;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code # key=value} comments at the very top of a Dockerfile. {@code syntax} is noted and
 * ignored (Jocker runs no frontend images), {@code escape} picks {@code \} or a backtick,
 * {@code check} is kept for the linter. Reading stops at the first line that is not such a
 * comment (a blank line included) or names another key, as Docker's does.
 */
public record ParserDirectives(Optional<String> syntax, char escape, Optional<String> check) {
  public static final ParserDirectives DEFAULT =
      new ParserDirectives(Optional.empty(), '\\', Optional.empty());

  private static final Pattern DIRECTIVE =
      Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
  private static final Set<String> KNOWN = Set.of("syntax", "escape", "check");

  static ParserDirectives read(String file, List<String> lines) {
    String syntax = null;
    String check = null;
    char escape = '\\';
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = DIRECTIVE.matcher(lines.get(i).strip());
      if (!m.matches()) {
        break;
      }
      String key = m.group(1).toLowerCase(Locale.ROOT);
      String value = m.group(2);
      if (!KNOWN.contains(key)) {
        break;
      }
      if (!seen.add(key)) {
        throw new DockerfileException(
            file, i + 1, "only one " + key + " parser directive can be used");
      }
      switch (key) {
        case "syntax" -> syntax = value;
        case "check" -> check = value;
        default -> {
          if (!value.equals("\\") && !value.equals("`")) {
            throw new DockerfileException(
                file, i + 1, "invalid escape token '" + value + "' does not match ` or \\");
          }
          escape = value.charAt(0);
        }
      }
    }
    return new ParserDirectives(Optional.ofNullable(syntax), escape, Optional.ofNullable(check));
  }
}
