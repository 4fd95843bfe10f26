package org.jocker.build.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code created_by} of history entries as BuildKit writes them: Go's {@code %q} of a list
 * for CMD and ENTRYPOINT ({@code CMD ["/bin/sh" "-c" "x"]}), {@code %v} for SHELL and VOLUME
 * ({@code [/bin/sh -c]}), RUN with the build args in scope ({@code RUN |1 A=b /bin/sh -c x}), and
 * " # buildkit" after the steps that made a filesystem change.
 */
final class HistoryText {
  static final String BUILDKIT = " # buildkit";

  private HistoryText() {}

  /** Go's %q of a []string. */
  static String quotedList(List<String> words) {
    List<String> quoted = new ArrayList<>();
    for (String w : words) {
      quoted.add(goQuote(w));
    }
    return "[" + String.join(" ", quoted) + "]";
  }

  /** Go's %v of a []string. */
  static String plainList(List<String> words) {
    return "[" + String.join(" ", words) + "]";
  }

  /** BuildKit's runCommandString: "|N K=V ..." before the command when build args are in scope. */
  static String run(List<String> args, Map<String, String> buildArgs) {
    List<String> words = new ArrayList<>();
    if (!buildArgs.isEmpty()) {
      words.add("|" + buildArgs.size());
      buildArgs.forEach((k, v) -> words.add(k + "=" + v));
    }
    words.addAll(args);
    return "RUN " + String.join(" ", words);
  }

  static String goQuote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
