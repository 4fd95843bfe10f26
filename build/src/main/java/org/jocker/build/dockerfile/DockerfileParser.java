package org.jocker.build.dockerfile;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Text to a {@link Dockerfile}: directives, then one instruction per logical line. Structure
 * (stages, what needs what) and variables are {@code org.jocker.build.stage}'s.
 */
public final class DockerfileParser {
  /** Docker's limit on one physical line, in bytes. */
  private static final int MAX_LINE = 65_535;

  private DockerfileParser() {}

  /** {@code name} is how errors name the file ("Dockerfile", "build/app.Dockerfile"). */
  public static Dockerfile parse(String name, String text) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1); // a UTF-8 byte order mark
    }
    List<String> lines = text.lines().toList(); // also drops the \r of CRLF
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).length() > MAX_LINE && lines.get(i).getBytes(UTF_8).length > MAX_LINE) {
        throw new DockerfileException(name, i + 1, "dockerfile line greater than max allowed size of " + MAX_LINE);
      }
    }
    ParserDirectives directives = ParserDirectives.read(name, lines);
    LineReader reader = new LineReader(name, lines, directives.escape());
    InstructionParser parser = new InstructionParser(name, directives.escape());
    List<Instruction> instructions = new ArrayList<>();
    List<Warning> warnings = new ArrayList<>();
    for (LogicalLine line = reader.next(); line != null; line = reader.next()) {
      Instruction instruction = parser.parse(line);
      warning(instruction).ifPresent(warnings::add);
      instructions.add(instruction);
    }
    if (instructions.isEmpty()) {
      throw new DockerfileException(name, 1, "the Dockerfile cannot be empty");
    }
    warnings.addAll(0, reader.warnings());
    return new Dockerfile(name, directives, instructions, warnings);
  }

  /** Docker's lint warnings that the parser alone can see. */
  private static Optional<Warning> warning(Instruction instruction) {
    int line = instruction.lines().start();
    return switch (instruction) {
      case Instruction.Maintainer m ->
          Optional.of(new Warning(line, "MAINTAINER instruction is deprecated in favor of using label"));
      case Instruction.Env env when env.legacy() -> Optional.of(new Warning(line,
          "\"ENV key=value\" should be used instead of legacy \"ENV key value\" format"));
      case Instruction.Label label when label.legacy() -> Optional.of(new Warning(line,
          "\"LABEL key=value\" should be used instead of legacy \"LABEL key value\" format"));
      default -> Optional.empty();
    };
  }
}
