package org.jocker.cli.format;

import java.util.List;

/** One stage of a pipeline: a function with its arguments, or a single value. */
record Command(List<Operand> operands, Span span) {
  Operand first() {
    return operands.getFirst();
  }

  List<Operand> arguments() {
    return operands.subList(1, operands.size());
  }
}
