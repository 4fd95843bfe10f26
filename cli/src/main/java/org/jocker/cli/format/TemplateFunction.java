package org.jocker.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A function callable from a template, with its arity so calls are checked before the body runs.
 * {@code maxArgs} is {@link #VARIADIC} for functions like printf.
 */
record TemplateFunction(String name, int minArgs, int maxArgs, Body body) {
  static final int VARIADIC = -1;

  @FunctionalInterface
  interface Body {
    JsonNode apply(List<JsonNode> args);
  }

  /** Go's wording: "wrong number of args for join: want 2 got 1". */
  String arityError(int given) {
    if (given >= minArgs && (maxArgs == VARIADIC || given <= maxArgs)) return null;
    String want = maxArgs == VARIADIC ? "at least " + minArgs : String.valueOf(minArgs);
    return "wrong number of args for " + name + ": want " + want + " got " + given;
  }

  /**
   * A function refused its arguments. {@code fromCall} errors are the function's own ("index out
   * of range") and Go prefixes them with "error calling NAME: "; the others are argument type
   * mismatches, which Go reports bare.
   */
  static final class Failure extends RuntimeException {
    final boolean fromCall;

    private Failure(String message, boolean fromCall) {
      super(message, null, false, false);
      this.fromCall = fromCall;
    }

    static Failure calling(String message) {
      return new Failure(message, true);
    }

    static Failure wrongType(String expected, JsonNode got) {
      return new Failure("wrong type for value; expected " + expected + "; got " + GoValues.typeName(got), false);
    }
  }
}
