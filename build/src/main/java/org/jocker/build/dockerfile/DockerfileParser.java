package org.jocker.build.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * Text to a {@link Dockerfile}: directives, then one instruction per logical line. Structure
 * (stages, what needs what) and variables are {@code org.jocker.build.stage}'s.
 */
public final class DockerfileParser {
  private DockerfileParser() {}

  /** {@code name} is how errors name the file ("Dockerfile", "build/app.Dockerfile"). */
  public static Dockerfile parse(String name, String text) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1); // a UTF-8 byte order mark
    }
    List<String> lines = text.lines().toList(); // also drops the \r of CRLF
    ParserDirectives directives = ParserDirectives.read(name, lines);
    LineReader reader = new LineReader(name, lines, directives.escape());
    InstructionParser parser = new InstructionParser(name, directives.escape());
    List<Instruction> instructions = new ArrayList<>();
    List<Warning> warnings = new ArrayList<>();
    for (LogicalLine line = reader.next(); line != null; line = reader.next()) {
      Instruction instruction = parser.parse(line);
      if (instruction instanceof Instruction.Maintainer m) {
        warnings.add(new Warning(m.lines().start(), "MAINTAINER instruction is deprecated in favor of using label"));
      }
      instructions.add(instruction);
    }
    if (instructions.isEmpty()) {
      throw new DockerfileException(name, 1, "the Dockerfile cannot be empty");
    }
    warnings.addAll(0, reader.warnings());
    return new Dockerfile(name, directives, instructions, warnings);
  }
}
