package org.jocker.build.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Docker's build-time shell word expansion (BuildKit's shell lexer, re-done from its documented
 * behaviour): {@code $NAME}, {@code ${NAME}} and its modifiers {@code :-} {@code -} {@code :+}
 * {@code +} {@code :?} {@code ?} {@code #} {@code ##} {@code %} {@code %%} {@code /} {@code //},
 * quote removal, and the escape character (the Dockerfile's {@code # escape=}, {@code \} or a
 * backtick). Single quotes are literal; inside double quotes the escape character escapes only
 * {@code "}, {@code $} and itself; unquoted it escapes anything and is dropped. There is no
 * command substitution, arithmetic, {@code ${#v}} or {@code ${v:offset}}: Docker refuses them.
 */
public final class ShellLexer {
  public static final ShellLexer DEFAULT = new ShellLexer('\\');

  private static final int EOF = -1;
  /** $@, $*, $#, $?, $$, $! are names of one character, never set in a build: they expand to "". */
  private static final String SPECIAL_NAMES = "@*#?$!";

  private final char escape;

  public ShellLexer(char escape) {
    this.escape = escape;
  }

  public char escape() {
    return escape;
  }

  /** One word, expanded and unquoted; whitespace is kept (WORKDIR "/a b", ENV's values). */
  public String expandWord(String word, Variables variables) {
    SingleWord out = new SingleWord();
    new Scan(word, variables, false).readUntil(out, "", false);
    return out.text();
  }

  /** Words split at unquoted whitespace, that of unquoted expansions included (EXPOSE $PORTS). */
  public List<String> expandWords(String text, Variables variables) {
    Words out = new Words();
    new Scan(text, variables, false).readUntil(out, "", false);
    return out.finish();
  }

  /**
   * A heredoc body whose delimiter was not quoted, as COPY writes it: variables expanded, each
   * escape character escaping the next character and dropped, quotes not special.
   */
  public String expandHeredoc(String body, Variables variables) {
    SingleWord out = new SingleWord();
    new Scan(body, variables, true).readUntil(out, "", false);
    return out.text();
  }

  /** Where the characters of a word go: one string, or words split at unquoted whitespace. */
  private interface Sink {
    void plain(char c);

    void quoted(char c);

    void expansion(String value, boolean quoted);

    /** A quote was opened: "" is an empty word, not no word. */
    void quoteSeen();
  }

  private static final class SingleWord implements Sink {
    private final StringBuilder text = new StringBuilder();

    @Override
    public void plain(char c) {
      text.append(c);
    }

    @Override
    public void quoted(char c) {
      text.append(c);
    }

    @Override
    public void expansion(String value, boolean quoted) {
      text.append(value);
    }

    @Override
    public void quoteSeen() {}

    String text() {
      return text.toString();
    }
  }

  private static final class Words implements Sink {
    private final List<String> words = new ArrayList<>();
    private StringBuilder word = new StringBuilder();
    private boolean inWord;

    @Override
    public void plain(char c) {
      if (Character.isWhitespace(c)) {
        end();
      } else {
        quoted(c);
      }
    }

    @Override
    public void quoted(char c) {
      word.append(c);
      inWord = true;
    }

    @Override
    public void expansion(String value, boolean quoted) {
      if (quoted) {
        word.append(value);
        inWord = true;
      } else {
        value.chars().forEach(c -> plain((char) c));
      }
    }

    @Override
    public void quoteSeen() {
      inWord = true;
    }

    private void end() {
      if (inWord) {
        words.add(word.toString());
        word = new StringBuilder();
        inWord = false;
      }
    }

    List<String> finish() {
      end();
      return List.copyOf(words);
    }
  }

  /** One pass over a text. */
  private final class Scan {
    private final String text;
    private final Variables variables;
    private final boolean quotesLiteral;
    private int pos;

    Scan(String text, Variables variables, boolean quotesLiteral) {
      this.text = text;
      this.variables = variables;
      this.quotesLiteral = quotesLiteral;
    }

    private int peek() {
      return pos < text.length() ? text.charAt(pos) : EOF;
    }

    private int next() {
      return pos < text.length() ? text.charAt(pos++) : EOF;
    }

    /**
     * Reads into {@code out} up to an unquoted character of {@code stops} (consumed and returned)
     * or the end (EOF). With {@code rawEscapes} the escape character is kept, for a pattern.
     */
    int readUntil(Sink out, String stops, boolean rawEscapes) {
      while (true) {
        int c = next();
        if (c == EOF) {
          return EOF;
        } else if (stops.indexOf(c) >= 0) {
          return c;
        } else if (c == '\'' && !quotesLiteral) {
          singleQuoted(out);
        } else if (c == '"' && !quotesLiteral) {
          doubleQuoted(out);
        } else if (c == '$') {
          out.expansion(dollar(), false);
        } else if (c == escape) {
          int escaped = next();
          if (escaped == EOF) {
            return EOF; // an escape at the very end is dropped
          }
          if (rawEscapes) {
            out.quoted(escape);
          }
          out.quoted((char) escaped);
        } else {
          out.plain((char) c);
        }
      }
    }

    private void singleQuoted(Sink out) {
      out.quoteSeen();
      while (true) {
        int c = next();
        if (c == EOF) {
          throw new ExpansionException(
              "unexpected end of statement while looking for matching single-quote");
        }
        if (c == '\'') {
          return;
        }
        out.quoted((char) c);
      }
    }

    private void doubleQuoted(Sink out) {
      out.quoteSeen();
      while (true) {
        int c = next();
        if (c == EOF) {
          throw new ExpansionException(
              "unexpected end of statement while looking for matching double-quote");
        }
        if (c == '"') {
          return;
        }
        if (c == '$') {
          out.expansion(dollar(), true);
        } else if (c == escape && (peek() == '"' || peek() == '$' || peek() == escape)) {
          out.quoted((char) next());
        } else {
          out.quoted((char) c);
        }
      }
    }

    /** After a '$': the value it stands for. */
    private String dollar() {
      if (peek() != '{') {
        String name = name();
        return name.isEmpty() ? "$" : orEmpty(variables.valueOf(name));
      }
      pos++;
      int first = peek();
      if (first == EOF) {
        throw missingBrace();
      }
      if (first == '{' || first == '}' || first == ':') {
        throw new ExpansionException("syntax error: bad substitution");
      }
      String name = name();
      String value = variables.valueOf(name);
      int op = next();
      if (op == '}') {
        return orEmpty(value);
      }
      if (op == EOF) {
        throw missingBrace();
      }
      String modifier = String.valueOf((char) op);
      boolean colon = op == ':';
      if (colon) {
        op = next();
        if (op == EOF) {
          throw missingBrace();
        }
        modifier += (char) op;
      }
      return switch (op) {
        case '-', '+', '?' -> defaulted(name, value, (char) op, colon, argument("}", false));
        case '#', '%' -> {
          if (colon) {
            throw unsupported(modifier);
          }
          yield trimmed(orEmpty(value), (char) op, argument("}", true));
        }
        case '/' -> {
          if (colon) {
            throw unsupported(modifier);
          }
          yield replaced(orEmpty(value));
        }
        default -> throw unsupported(modifier);
      };
    }

    private String defaulted(String name, String value, char op, boolean colon, String word) {
      boolean missing = value == null || (colon && value.isEmpty());
      return switch (op) {
        case '-' -> missing ? word : value;
        case '+' -> missing ? "" : word;
        default -> {
          if (value == null) {
            throw new ExpansionException(
                name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
          }
          if (missing) {
            throw new ExpansionException(
                name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
          }
          yield value;
        }
      };
    }

    /** {@code #} and {@code %}: the shortest match removed, {@code ##} and {@code %%} the longest. */
    private String trimmed(String value, char op, String word) {
      boolean longest = !word.isEmpty() && word.charAt(0) == op;
      ShellPattern pattern = ShellPattern.compile(longest ? word.substring(1) : word, escape);
      return op == '#' ? pattern.removePrefix(value, longest) : pattern.removeSuffix(value, longest);
    }

    /** {@code ${v/pattern/replacement}}, and {@code ${v//pattern/replacement}} for every match. */
    private String replaced(String value) {
      boolean all = peek() == '/';
      if (all) {
        pos++;
      }
      SingleWord pattern = new SingleWord();
      int stop = readUntil(pattern, "/}", true);
      if (stop == EOF) {
        throw missingBrace();
      }
      String replacement = stop == '/' ? argument("}", false) : "";
      return ShellPattern.compile(pattern.text(), escape).replace(value, replacement, all);
    }

    /** The word after a modifier, up to its '}'. */
    private String argument(String stops, boolean rawEscapes) {
      SingleWord word = new SingleWord();
      if (readUntil(word, stops, rawEscapes) == EOF) {
        throw missingBrace();
      }
      return word.text();
    }

    private String name() {
      StringBuilder name = new StringBuilder();
      int c = peek();
      if (c != EOF && Character.isDigit(c)) {
        while (peek() != EOF && Character.isDigit(peek())) {
          name.append((char) next());
        }
        return name.toString();
      }
      if (c != EOF && SPECIAL_NAMES.indexOf(c) >= 0) {
        return String.valueOf((char) next());
      }
      while (peek() != EOF && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
        name.append((char) next());
      }
      return name.toString();
    }
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  private static ExpansionException missingBrace() {
    return new ExpansionException("syntax error: missing '}'");
  }

  private static ExpansionException unsupported(String modifier) {
    return new ExpansionException("unsupported modifier (" + modifier + ") in substitution");
  }
}
