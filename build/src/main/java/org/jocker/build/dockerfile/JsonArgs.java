package org.jocker.build.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The exec (JSON) form: text starting with {@code [} that is exactly one JSON array of strings.
 * Any other JSON failure means shell form, as Docker falls back silently; an array holding
 * something else than strings is an error.
 */
final class JsonArgs {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Not JSON: the caller uses the shell form. */
  static final class NotJson extends Exception {
    NotJson() {
      super(null, null, false, false);
    }
  }

  /** Thrown when the array holds a non-string; the caller names the line. */
  static final class NotStrings extends Exception {
    NotStrings() {
      super("when using JSON array syntax, arrays must be comprised of strings only", null, false, false);
    }
  }

  private JsonArgs() {}

  static boolean isJsonArray(String text) {
    try {
      parse(text);
      return true;
    } catch (NotJson | NotStrings e) {
      return false;
    }
  }

  static List<String> parse(String text) throws NotJson, NotStrings {
    if (!text.startsWith("[")) {
      throw new NotJson();
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new NotJson();
    }
    if (node == null || !node.isArray()) {
      throw new NotJson();
    }
    List<String> args = new ArrayList<>();
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        throw new NotStrings();
      }
      args.add(element.textValue());
    }
    return args;
  }
}
