package org.jocker.cli.format;

/**
 * A template that does not parse, or fails while running. The message is one line, worded like
 * Docker's (which wraps Go's), so the CLI can print it as is and exit 125.
 */
public final class TemplateException extends RuntimeException {
  private TemplateException(String message) {
    super(message);
  }

  static TemplateException parsing(String source, int pos, String message) {
    return new TemplateException(
        "template parsing error: template: :" + SourceText.line(source, pos) + ": " + message);
  }

  static TemplateException execution(String source, Span at, String message) {
    return new TemplateException(
        "template: :" + SourceText.line(source, at.pos()) + ":" + SourceText.column(source, at.pos())
            + ": executing \"\" at <" + oneLine(at.text()) + ">: " + message);
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ");
  }
}
