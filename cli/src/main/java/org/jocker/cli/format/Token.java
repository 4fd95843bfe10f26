package org.jocker.cli.format;

/**
 * One lexical item of a template: a run of text between actions, an action delimiter, or a word
 * inside an action. {@code text} is the source text (quotes included for literals), so a token's
 * end is {@code pos + text.length()} for everything but trimmed TEXT.
 */
record Token(Kind kind, String text, int pos) {
  enum Kind {
    TEXT, LEFT_DELIM, RIGHT_DELIM, EOF,
    DOT, FIELD, VARIABLE, IDENTIFIER, STRING, RAW_STRING, CHAR, NUMBER, BOOL, NIL,
    PIPE, LEFT_PAREN, RIGHT_PAREN, DECLARE, ASSIGN, COMMA,
    IF, ELSE, END, RANGE, WITH, BREAK, CONTINUE, DEFINE, TEMPLATE, BLOCK
  }

  int end() {
    return pos + text.length();
  }
}
