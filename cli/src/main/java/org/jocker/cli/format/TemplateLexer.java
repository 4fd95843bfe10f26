package org.jocker.cli.format;

import static org.jocker.cli.format.Token.Kind.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a template into tokens: TEXT between actions, and the words of each {{ action }} framed by
 * LEFT_DELIM and RIGHT_DELIM. Trim markers ({{- and -}}) are applied here, by cutting the
 * whitespace off the neighbouring TEXT, and comments are dropped, so the parser never sees either.
 */
final class TemplateLexer {
  private static final String LEFT = "{{";
  private static final String RIGHT = "}}";
  private static final Map<String, Token.Kind> KEYWORDS = Map.ofEntries(
      Map.entry("if", IF), Map.entry("else", ELSE), Map.entry("end", END),
      Map.entry("range", RANGE), Map.entry("with", WITH), Map.entry("break", BREAK),
      Map.entry("continue", CONTINUE), Map.entry("define", DEFINE),
      Map.entry("template", TEMPLATE), Map.entry("block", BLOCK),
      Map.entry("true", BOOL), Map.entry("false", BOOL), Map.entry("nil", NIL));

  private final String src;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;

  private TemplateLexer(String src) {
    this.src = src;
  }

  static List<Token> tokenize(String source) {
    return new TemplateLexer(source).run();
  }

  private List<Token> run() {
    boolean trimLeadingSpace = false;
    while (true) {
      int open = src.indexOf(LEFT, pos);
      boolean trimTrailingSpace = open >= 0 && isTrimMarker(open + LEFT.length());
      String text = src.substring(pos, open < 0 ? src.length() : open);
      if (trimLeadingSpace) text = text.replaceFirst("^[ \\t\\r\\n]+", "");
      if (trimTrailingSpace) text = text.replaceFirst("[ \\t\\r\\n]+$", "");
      if (!text.isEmpty()) tokens.add(new Token(TEXT, text, pos));
      if (open < 0) break;
      // The marker is "- ": the dash goes, the space is ordinary whitespace inside the action.
      pos = open + LEFT.length() + (trimTrailingSpace ? 1 : 0);
      trimLeadingSpace = lexAction(open);
    }
    tokens.add(new Token(EOF, "", src.length()));
    return tokens;
  }

  /** A dash right after "{{" trims only when followed by whitespace: "{{-3}}" is the number -3. */
  private boolean isTrimMarker(int at) {
    return at + 1 < src.length() && src.charAt(at) == '-' && isSpace(src.charAt(at + 1));
  }

  /** Lexes one action whose "{{" is at {@code open}; returns whether it ended with "-}}". */
  private boolean lexAction(int open) {
    int afterMarker = pos + (pos > open + LEFT.length() ? 1 : 0);
    if (src.startsWith("/*", afterMarker)) return skipComment(afterMarker);
    tokens.add(new Token(LEFT_DELIM, LEFT, open));
    while (true) {
      if (pos >= src.length()) throw error(pos, "unclosed action");
      char c = src.charAt(pos);
      if (isSpace(c)) {
        if (src.startsWith("-" + RIGHT, pos + 1)) {
          tokens.add(new Token(RIGHT_DELIM, RIGHT, pos + 2));
          pos += 4;
          return true;
        }
        pos++;
      } else if (src.startsWith(RIGHT, pos)) {
        tokens.add(new Token(RIGHT_DELIM, RIGHT, pos));
        pos += 2;
        return false;
      } else {
        lexWord(c);
      }
    }
  }

  private boolean skipComment(int start) {
    int close = src.indexOf("*/", start + 2);
    if (close < 0) throw error(start, "unclosed comment");
    pos = close + 2;
    if (src.startsWith(RIGHT, pos)) {
      pos += 2;
      return false;
    }
    if (pos < src.length() && isSpace(src.charAt(pos)) && src.startsWith("-" + RIGHT, pos + 1)) {
      pos += 4;
      return true;
    }
    throw error(pos, "comment ends before closing delimiter");
  }

  private void lexWord(char c) {
    int start = pos;
    switch (c) {
      case '|' -> single(PIPE);
      case '(' -> single(LEFT_PAREN);
      case ')' -> single(RIGHT_PAREN);
      case ',' -> single(COMMA);
      case '=' -> single(ASSIGN);
      case ':' -> {
        if (!src.startsWith(":=", pos)) throw error(pos, "expected :=");
        pos += 2;
        tokens.add(new Token(DECLARE, ":=", start));
      }
      case '"' -> quoted('"', STRING, "unterminated quoted string");
      case '\'' -> quoted('\'', CHAR, "unterminated character constant");
      case '`' -> {
        int close = src.indexOf('`', pos + 1);
        if (close < 0) throw error(pos, "unterminated raw quoted string");
        pos = close + 1;
        tokens.add(new Token(RAW_STRING, src.substring(start, pos), start));
      }
      case '$' -> {
        pos++;
        skipWord();
        skipFieldChain();
        tokens.add(new Token(VARIABLE, src.substring(start, pos), start));
      }
      case '.' -> {
        if (pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
          number();
        } else if (pos + 1 < src.length() && isWordChar(src.charAt(pos + 1))) {
          skipFieldChain();
          tokens.add(new Token(FIELD, src.substring(start, pos), start));
        } else {
          single(DOT);
        }
      }
      default -> {
        if (Character.isDigit(c) || (c == '+' || c == '-') && startsNumber(pos + 1)) {
          number();
        } else if (isWordChar(c)) {
          skipWord();
          String word = src.substring(start, pos);
          tokens.add(new Token(KEYWORDS.getOrDefault(word, IDENTIFIER), word, start));
        } else {
          throw error(pos, String.format("bad character U+%04X '%c'", (int) c, c));
        }
      }
    }
  }

  private void single(Token.Kind kind) {
    tokens.add(new Token(kind, src.substring(pos, pos + 1), pos));
    pos++;
  }

  private void quoted(char quote, Token.Kind kind, String unterminated) {
    int start = pos;
    pos++;
    while (true) {
      if (pos >= src.length() || src.charAt(pos) == '\n') throw error(start, unterminated);
      char c = src.charAt(pos++);
      if (c == '\\') {
        if (pos >= src.length()) throw error(start, unterminated);
        pos++;
      } else if (c == quote) {
        break;
      }
    }
    tokens.add(new Token(kind, src.substring(start, pos), start));
  }

  private boolean startsNumber(int at) {
    return at < src.length() && (Character.isDigit(src.charAt(at)) || src.charAt(at) == '.');
  }

  /** Scans Go's number syntax loosely (the parser checks the value); a letter glued on is an error. */
  private void number() {
    int start = pos;
    if (src.charAt(pos) == '+' || src.charAt(pos) == '-') pos++;
    if (src.startsWith("0x", pos) || src.startsWith("0X", pos)) {
      pos += 2;
      while (pos < src.length() && (Character.digit(src.charAt(pos), 16) >= 0 || src.charAt(pos) == '_')) pos++;
    } else {
      while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
      if (pos < src.length() && src.charAt(pos) == '.') pos++;
      while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
      if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
        pos++;
        if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) pos++;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
      }
    }
    if (pos < src.length() && isWordChar(src.charAt(pos))) {
      skipWord();
      throw error(start, "bad number syntax: \"" + src.substring(start, pos) + "\"");
    }
    tokens.add(new Token(NUMBER, src.substring(start, pos), start));
  }

  private void skipWord() {
    while (pos < src.length() && isWordChar(src.charAt(pos))) pos++;
  }

  private void skipFieldChain() {
    while (pos + 1 < src.length() && src.charAt(pos) == '.' && isWordChar(src.charAt(pos + 1))) {
      pos++;
      skipWord();
    }
  }

  private static boolean isWordChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private TemplateException error(int at, String message) {
    return TemplateException.parsing(src, at, message);
  }
}
