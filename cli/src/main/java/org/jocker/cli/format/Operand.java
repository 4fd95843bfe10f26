package org.jocker.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A word of a command: something that evaluates to a value, or names a function. */
sealed interface Operand {
  Span span();

  /** {@code .} */
  record Dot(Span span) implements Operand {}

  /** {@code .A.B}: fields (map keys) looked up from dot. */
  record Field(List<String> names, Span span) implements Operand {}

  /** {@code $x.A.B}; {@code $} alone is the data the template was executed with. */
  record Variable(String name, List<String> fields, Span span) implements Operand {}

  /** {@code (pipeline).A.B}: fields looked up on another operand's value. */
  record Chain(Operand receiver, List<String> fields, Span span) implements Operand {}

  /** A function name, such as {@code index} or {@code json}. */
  record Function(String name, Span span) implements Operand {}

  /** A string, number, character or boolean constant. */
  record Literal(JsonNode value, Span span) implements Operand {}

  record Nil(Span span) implements Operand {}

  /** {@code (pipeline)} */
  record Parenthesized(Pipeline pipeline, Span span) implements Operand {}
}
