package org.jocker.build.stage;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.build.shell.ShellLexer;
import org.jocker.build.shell.Variables;

/**
 * The ARGs before the first FROM and the automatic platform ARGs: what FROM lines expand against,
 * and what a stage's {@code ARG NAME} without a default takes. A --build-arg overrides both.
 */
final class GlobalScope {
  private final Map<String, String> values = new LinkedHashMap<>();

  GlobalScope(Map<String, String> automatic, Map<String, String> buildArgs) {
    automatic.forEach((k, v) -> values.put(k, buildArgs.getOrDefault(k, v)));
  }

  void declare(Instruction.ArgDeclaration arg, Map<String, String> buildArgs, ShellLexer lexer) {
    String value = buildArgs.containsKey(arg.name())
        ? buildArgs.get(arg.name())
        : arg.defaultValue().map(d -> lexer.expandWord(d, variables())).orElseGet(() -> values.get(arg.name())); // ARG TARGETARCH keeps its value
    values.put(arg.name(), value);
  }

  Variables variables() {
    Map<String, String> now = new LinkedHashMap<>(values);
    return now::get;
  }

  String valueOf(String name) {
    return values.get(name);
  }
}
