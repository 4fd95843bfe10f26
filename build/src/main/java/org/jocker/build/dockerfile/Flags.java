package org.jocker.build.dockerfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An instruction's {@code --name=value} flags (booleans may be bare {@code --link}), checked
 * against what that instruction accepts, with Docker's errors.
 */
final class Flags {
  enum Kind {
    STRING,
    LIST,
    BOOL
  }

  /** Thrown for a flag Docker would refuse; the caller names the line. */
  static final class FlagException extends Exception {
    FlagException(String message) {
      super(message, null, false, false);
    }
  }

  private final Map<String, List<String>> values;

  private Flags(Map<String, List<String>> values) {
    this.values = values;
  }

  static Flags parse(List<String> words, Map<String, Kind> accepted) throws FlagException {
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (String word : words) {
      String arg = word.substring(2);
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      Kind kind = accepted.get(name);
      if (kind == null) {
        throw new FlagException("unknown flag: --" + name);
      }
      if (kind != Kind.LIST && values.containsKey(name)) {
        throw new FlagException("duplicate flag specified: --" + name);
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (kind == Kind.BOOL) {
        value = "true";
      } else {
        throw new FlagException("missing a value on flag: --" + name);
      }
      if (kind == Kind.BOOL) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.equals("true") && !lower.equals("false")) {
          throw new FlagException(
              "expecting boolean value for flag " + name + ", not: " + value);
        }
        value = lower;
      }
      values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return new Flags(values);
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  Optional<String> string(String name) {
    List<String> v = values.get(name);
    return v == null ? Optional.empty() : Optional.of(v.get(0));
  }

  List<String> list(String name) {
    return List.copyOf(values.getOrDefault(name, List.of()));
  }

  boolean bool(String name) {
    return string(name).map(Boolean::parseBoolean).orElse(false);
  }

  Optional<Boolean> optionalBool(String name) {
    return string(name).map(Boolean::parseBoolean);
  }
}
