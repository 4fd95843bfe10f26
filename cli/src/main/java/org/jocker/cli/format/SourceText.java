package org.jocker.cli.format;

/** Line and column of an offset in a template, for error messages in Go's "template: :line:col" form. */
final class SourceText {
  private SourceText() {}

  static int line(String source, int pos) {
    int line = 1;
    for (int i = 0; i < Math.min(pos, source.length()); i++) {
      if (source.charAt(i) == '\n') line++;
    }
    return line;
  }

  /** Zero-based, like Go's byte offset within the line. */
  static int column(String source, int pos) {
    int clamped = Math.min(pos, source.length());
    return clamped - (source.lastIndexOf('\n', clamped - 1) + 1);
  }
}
