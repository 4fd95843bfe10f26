package org.jocker.cli.format;

import java.util.List;

/** The statements of a parsed template: text to copy, actions to print, and control structures. */
sealed interface Node {
  /** Text outside actions, already trimmed by any adjacent {{- or -}}. */
  record Text(String text) implements Node {}

  /** {{pipeline}}: prints the value, unless the pipeline declares or assigns variables. */
  record Action(Pipeline pipeline) implements Node {}

  /** {{if}} (and {{else if}}, as an If alone in {@code otherwise}). */
  record If(Pipeline condition, List<Node> then, List<Node> otherwise) implements Node {}

  /** {{with}}: like if, but binds dot to the value in the body. */
  record With(Pipeline value, List<Node> body, List<Node> otherwise) implements Node {}

  /** {{range}}: the body per element with dot bound to it; {@code otherwise} when there is none. */
  record Range(Pipeline collection, List<Node> body, List<Node> otherwise) implements Node {}

  record Break() implements Node {}

  record Continue() implements Node {}
}
