package org.jocker.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jocker.build.shell.ShellLexer;
import org.jocker.build.shell.Variables;

/**
 * Physical lines to instructions, as Docker's parser reads them: a line whose first non-blank
 * character is {@code #} is a comment (also inside a continuation); the escape character at the
 * end of a line, trailing blanks allowed, continues it (the escape and the newline go, the next
 * line keeps its leading blanks); a blank line inside a continuation is skipped with a warning;
 * RUN, COPY and ADD (also behind ONBUILD) in shell form may name heredocs, whose bodies follow.
 */
final class LineReader {
  private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("run", "copy", "add");
  /** A word naming a heredoc: an optional descriptor number, {@code <<} or {@code <<-}, the name. */
  private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)\\s*([^<]*)$");

  private final String file;
  private final List<String> lines;
  private final Pattern continuation;
  private final List<Warning> warnings = new ArrayList<>();
  private int next;

  LineReader(String file, List<String> lines, char escape) {
    this.file = file;
    this.lines = lines;
    String e = "\\" + escape; // \\ or \`, literal in and out of a class
    // An escape at the end, blanks after it allowed, continues the line unless it is itself escaped.
    this.continuation = Pattern.compile("(?:^|[^" + e + "])(" + e + ")[ \\t]*$");
  }

  List<Warning> warnings() {
    return warnings;
  }

  /** The next instruction's line, or null at the end. */
  LogicalLine next() {
    while (next < lines.size()) {
      String line = lines.get(next++);
      if (isComment(line) || line.isBlank()) {
        continue;
      }
      int start = next;
      StringBuilder text = new StringBuilder();
      boolean continued = append(text, line.stripLeading());
      while (continued && next < lines.size()) {
        String more = lines.get(next++);
        if (isComment(more)) {
          continue;
        }
        if (more.isBlank()) {
          warnings.add(new Warning(next, "Empty continuation line found in: " + text.toString().strip()));
          continue;
        }
        continued = append(text, more);
      }
      String joined = text.toString().strip();
      List<Heredoc> heredocs = readHeredocs(start, joined);
      return new LogicalLine(start, next, joined, heredocs);
    }
    return null;
  }

  /** Appends a line without its continuation escape; true when the next line continues it. */
  private boolean append(StringBuilder text, String line) {
    Matcher m = continuation.matcher(line);
    if (m.find()) {
      text.append(line, 0, m.start(1));
      return true;
    }
    text.append(line);
    return false;
  }

  private static boolean isComment(String line) {
    return line.stripLeading().startsWith("#");
  }

  private List<Heredoc> readHeredocs(int start, String text) {
    List<String> words = RawWords.split(text, '\\');
    int first = 0;
    if (!words.isEmpty() && words.get(0).equalsIgnoreCase("onbuild")) {
      first = 1;
    }
    if (words.size() <= first
        || !HEREDOC_INSTRUCTIONS.contains(words.get(first).toLowerCase(Locale.ROOT))
        || JsonArgs.isJsonArray(textAfterFlags(words, first + 1))) {
      return List.of();
    }
    List<Heredoc> heredocs = new ArrayList<>();
    for (String word : words.subList(first + 1, words.size())) {
      Matcher m = HEREDOC.matcher(word);
      if (!m.matches()) {
        continue;
      }
      String delimiter = m.group(3);
      // The delimiter is lexed with "\" whatever the escape directive; any quote stops expansion.
      String name = ShellLexer.DEFAULT.expandWord(delimiter, Variables.NONE);
      if (name.isEmpty()) {
        continue;
      }
      boolean quoted = delimiter.indexOf('"') >= 0 || delimiter.indexOf('\'') >= 0;
      boolean chomp = m.group(2).equals("-");
      heredocs.add(new Heredoc(name, body(start, name, chomp), !quoted, chomp));
    }
    return heredocs;
  }

  private static String textAfterFlags(List<String> words, int from) {
    int i = from;
    while (i < words.size() && words.get(i).startsWith("--")) {
      i++;
    }
    return String.join(" ", words.subList(Math.min(i, words.size()), words.size()));
  }

  private String body(int start, String name, boolean chomp) {
    StringBuilder content = new StringBuilder();
    while (next < lines.size()) {
      String line = lines.get(next++);
      if (chomp) {
        line = line.replaceFirst("^\t+", "");
      }
      if (line.equals(name)) {
        return content.toString();
      }
      content.append(line).append('\n');
    }
    throw new DockerfileException(file, start, "unterminated heredoc");
  }
}
