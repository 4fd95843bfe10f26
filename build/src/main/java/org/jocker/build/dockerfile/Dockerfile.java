package org.jocker.build.dockerfile;

import java.util.List;

/** A parsed Dockerfile: its name (for errors), directives, instructions in order, warnings. */
public record Dockerfile(
    String name, ParserDirectives directives, List<Instruction> instructions, List<Warning> warnings) {
  public Dockerfile {
    instructions = List.copyOf(instructions);
    warnings = List.copyOf(warnings);
  }
}
