package org.jocker.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs parsed nodes against a JSON value, appending to a buffer. "Dot" is the value in hand,
 * variables live on a stack popped at the end of each control structure, and errors name the
 * action that failed, as Go's do.
 */
final class TemplateEvaluator {
  private final String source;
  private final Map<String, TemplateFunction> functions;
  private final StringBuilder out;
  private final List<Variable> variables = new ArrayList<>();

  private static final class Variable {
    final String name;
    JsonNode value;

    Variable(String name, JsonNode value) {
      this.name = name;
      this.value = value;
    }
  }

  /** {{break}} and {{continue}} unwind to the enclosing range; no stack trace needed. */
  private static final class LoopSignal extends RuntimeException {
    static final LoopSignal BREAK = new LoopSignal();
    static final LoopSignal CONTINUE = new LoopSignal();

    private LoopSignal() {
      super(null, null, false, false);
    }
  }

  TemplateEvaluator(String source, Map<String, TemplateFunction> functions, StringBuilder out) {
    this.source = source;
    this.functions = functions;
    this.out = out;
  }

  void execute(List<Node> nodes, JsonNode data) {
    variables.clear();
    variables.add(new Variable("$", data));
    walk(nodes, data);
  }

  private void walk(List<Node> nodes, JsonNode dot) {
    for (Node node : nodes) walk(node, dot);
  }

  private void walk(Node node, JsonNode dot) {
    switch (node) {
      case Node.Text text -> out.append(text.text());
      case Node.Action action -> {
        JsonNode value = evalPipeline(dot, action.pipeline());
        if (action.pipeline().variables().isEmpty()) out.append(GoValues.print(value));
      }
      case Node.If branch -> {
        int scope = variables.size();
        boolean truth = GoValues.isTrue(evalPipeline(dot, branch.condition()));
        walk(truth ? branch.then() : branch.otherwise(), dot);
        popTo(scope);
      }
      case Node.With with -> {
        int scope = variables.size();
        JsonNode value = evalPipeline(dot, with.value());
        if (GoValues.isTrue(value)) walk(with.body(), value);
        else walk(with.otherwise(), dot);
        popTo(scope);
      }
      case Node.Range range -> walkRange(range, dot);
      case Node.Break ignored -> throw LoopSignal.BREAK;
      case Node.Continue ignored -> throw LoopSignal.CONTINUE;
    }
  }

  private record Entry(JsonNode key, JsonNode value) {}

  private void walkRange(Node.Range range, JsonNode dot) {
    Pipeline pipeline = range.collection();
    List<Entry> entries = entries(evalCommands(dot, pipeline), pipeline);
    if (entries.isEmpty()) {
      walk(range.otherwise(), dot);
      return;
    }
    int scope = variables.size();
    for (Entry entry : entries) {
      List<String> names = pipeline.variables();
      // One variable gets the element; two get the key (or index) and the element.
      if (names.size() == 1) bind(names.get(0), entry.value(), pipeline.assigns());
      if (names.size() == 2) {
        bind(names.get(0), entry.key(), pipeline.assigns());
        bind(names.get(1), entry.value(), pipeline.assigns());
      }
      try {
        walk(range.body(), entry.value());
      } catch (LoopSignal signal) {
        if (signal == LoopSignal.BREAK) break;
      } finally {
        popTo(scope);
      }
    }
  }

  /** What range iterates: list elements, map values in key order, or 0..n-1 for an integer n. */
  private List<Entry> entries(JsonNode collection, Pipeline pipeline) {
    List<Entry> entries = new ArrayList<>();
    if (GoValues.isNoValue(collection)) return entries;
    if (collection.isArray()) {
      for (int i = 0; i < collection.size(); i++) entries.add(new Entry(IntNode.valueOf(i), collection.get(i)));
    } else if (collection.isObject()) {
      for (String key : GoValues.sortedKeys(collection)) entries.add(new Entry(TextNode.valueOf(key), collection.get(key)));
    } else if (collection.isIntegralNumber() && pipeline.variables().size() < 2) {
      for (int i = 0; i < collection.intValue(); i++) entries.add(new Entry(IntNode.valueOf(i), IntNode.valueOf(i)));
    } else {
      throw error(pipeline.span(), "range can't iterate over " + GoValues.format(collection));
    }
    return entries;
  }

  /** The pipeline's value, after declaring or assigning its variables. */
  private JsonNode evalPipeline(JsonNode dot, Pipeline pipeline) {
    JsonNode value = evalCommands(dot, pipeline);
    for (String name : pipeline.variables()) bind(name, value, pipeline.assigns());
    return value;
  }

  private JsonNode evalCommands(JsonNode dot, Pipeline pipeline) {
    JsonNode value = null;
    for (Command command : pipeline.commands()) value = evalCommand(dot, command, value);
    return value;
  }

  /** One pipeline stage; {@code piped} (null for the first stage) becomes the last argument. */
  private JsonNode evalCommand(JsonNode dot, Command command, JsonNode piped) {
    List<Operand> args = command.arguments();
    boolean hasArgs = !args.isEmpty() || piped != null;
    return switch (command.first()) {
      case Operand.Field field -> fieldChain(dot, field.names(), hasArgs, field.span());
      case Operand.Chain chain -> fieldChain(evalArg(dot, chain.receiver()), chain.fields(), hasArgs, chain.span());
      case Operand.Variable variable when !variable.fields().isEmpty() ->
          fieldChain(lookup(variable), variable.fields(), hasArgs, variable.span());
      case Operand.Function function -> call(dot, function, command, args, piped);
      case Operand.Nil nil -> throw error(command.span(), "nil is not a command");
      case Operand other -> {
        if (hasArgs) throw error(command.span(), "can't give argument to non-function " + other.span().text());
        yield evalArg(dot, other);
      }
    };
  }

  /** An operand used as a value (an argument, or a command on its own). */
  private JsonNode evalArg(JsonNode dot, Operand operand) {
    return switch (operand) {
      case Operand.Dot ignored -> dot;
      case Operand.Field field -> fieldChain(dot, field.names(), false, field.span());
      case Operand.Variable variable -> fieldChain(lookup(variable), variable.fields(), false, variable.span());
      case Operand.Chain chain -> fieldChain(evalArg(dot, chain.receiver()), chain.fields(), false, chain.span());
      case Operand.Function function ->
          call(dot, function, new Command(List.of(function), function.span()), List.of(), null);
      case Operand.Literal literal -> literal.value();
      case Operand.Nil ignored -> NullNode.getInstance();
      case Operand.Parenthesized parenthesized -> evalPipeline(dot, parenthesized.pipeline());
    };
  }

  private JsonNode fieldChain(JsonNode receiver, List<String> names, boolean hasArgs, Span span) {
    JsonNode value = receiver;
    for (int i = 0; i < names.size(); i++) {
      value = field(value, names.get(i), hasArgs && i == names.size() - 1, span);
    }
    return value;
  }

  /**
   * Go's rules on decoded JSON: a missing key gives no value (and so does any field of it), a
   * field of a JSON null is a nil pointer error, and anything but a map has no fields at all.
   */
  private JsonNode field(JsonNode receiver, String name, boolean hasArgs, Span span) {
    if (receiver.isMissingNode()) return receiver;
    if (receiver.isNull()) throw error(span, "nil pointer evaluating interface {}." + name);
    if (!receiver.isObject()) {
      throw error(span, "can't evaluate field " + name + " in type " + GoValues.typeName(receiver));
    }
    if (hasArgs) throw error(span, name + " is not a method but has arguments");
    JsonNode value = receiver.get(name);
    return value == null ? MissingNode.getInstance() : value;
  }

  private JsonNode call(JsonNode dot, Operand.Function function, Command command, List<Operand> args, JsonNode piped) {
    TemplateFunction definition = functions.get(function.name());
    int count = args.size() + (piped == null ? 0 : 1);
    String arityError = definition.arityError(count);
    if (arityError != null) throw error(command.span(), arityError);
    if (function.name().equals("and") || function.name().equals("or")) {
      return shortCircuit(function.name().equals("and"), dot, args, piped);
    }
    List<JsonNode> values = new ArrayList<>(count);
    for (Operand arg : args) values.add(evalArg(dot, arg));
    if (piped != null) values.add(piped);
    try {
      return definition.body().apply(values);
    } catch (TemplateFunction.Failure failure) {
      String message = failure.fromCall ? "error calling " + function.name() + ": " + failure.getMessage() : failure.getMessage();
      throw error(command.span(), message);
    }
  }

  /** and/or stop at the first argument that decides the result, and return that argument. */
  private JsonNode shortCircuit(boolean isAnd, JsonNode dot, List<Operand> args, JsonNode piped) {
    JsonNode value = null;
    for (int i = 0; i < args.size() + (piped == null ? 0 : 1); i++) {
      value = i < args.size() ? evalArg(dot, args.get(i)) : piped;
      if (GoValues.isTrue(value) != isAnd) return value;
    }
    return value;
  }

  private JsonNode lookup(Operand.Variable variable) {
    for (int i = variables.size() - 1; i >= 0; i--) {
      if (variables.get(i).name.equals(variable.name())) return variables.get(i).value;
    }
    throw error(variable.span(), "undefined variable: " + variable.name());
  }

  private void bind(String name, JsonNode value, boolean assign) {
    if (assign) {
      for (int i = variables.size() - 1; i >= 0; i--) {
        if (variables.get(i).name.equals(name)) {
          variables.get(i).value = value;
          return;
        }
      }
    }
    variables.add(new Variable(name, value));
  }

  private void popTo(int size) {
    variables.subList(size, variables.size()).clear();
  }

  private TemplateException error(Span at, String message) {
    return TemplateException.execution(source, at, message);
  }
}
