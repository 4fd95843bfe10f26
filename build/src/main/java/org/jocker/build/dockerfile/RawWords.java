package org.jocker.build.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * Words of an instruction's text as the parser sees them before any expansion: split at
 * whitespace outside quotes, quotes and escapes kept as written ({@code a="b c"} is one word).
 * Quote removal and variables come later, from the shell lexer.
 */
final class RawWords {
  private final String text;
  private final char escape;
  private int pos;

  RawWords(String text, char escape) {
    this.text = text;
    this.escape = escape;
  }

  static List<String> split(String text, char escape) {
    RawWords words = new RawWords(text, escape);
    List<String> all = new ArrayList<>();
    for (String w = words.next(); w != null; w = words.next()) {
      all.add(w);
    }
    return all;
  }

  /** The next word, or null at the end. */
  String next() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
    if (pos >= text.length()) {
      return null;
    }
    int start = pos;
    char quote = 0;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == escape && pos + 1 < text.length() && quote != '\'') {
        pos += 2;
        continue;
      }
      if (quote == 0 && Character.isWhitespace(c)) {
        break;
      }
      if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      }
      pos++;
    }
    return text.substring(start, pos);
  }

  /** The text after the words read so far, leading whitespace dropped. */
  String rest() {
    return text.substring(pos).stripLeading();
  }

  /** {@code "a b"} and {@code 'a b'} without their quotes (a flag's value). */
  static String unquote(String word, char escape) {
    StringBuilder out = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (c == escape && i + 1 < word.length() && quote != '\'') {
        out.append(word.charAt(++i));
      } else if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
