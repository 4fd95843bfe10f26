package org.jocker.cli.format;

import static org.jocker.cli.format.TemplateFunction.VARIADIC;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The functions a template can call: Go's builtins (index, len, eq, printf, ...) and the ones
 * Docker's CLI adds (json, join, split, upper, lower, title, pad, truncate). {@code and} and
 * {@code or} are here for their arity but are evaluated lazily by the evaluator, as Go does.
 */
final class TemplateFunctions {
  /** Plain decimals, as encoding/json writes floats: 1500000000, not 1.5E9. */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  private TemplateFunctions() {}

  static Map<String, TemplateFunction> standard() {
    Map<String, TemplateFunction> functions = new HashMap<>();
    // Go's builtins.
    add(functions, "and", 1, VARIADIC, args -> args.getLast());
    add(functions, "or", 1, VARIADIC, args -> args.getLast());
    add(functions, "not", 1, 1, args -> BooleanNode.valueOf(!GoValues.isTrue(args.getFirst())));
    add(functions, "len", 1, 1, args -> length(args.getFirst()));
    add(functions, "index", 1, VARIADIC, args -> index(args.getFirst(), args.subList(1, args.size())));
    add(functions, "slice", 1, 3, args -> slice(args.getFirst(), args.subList(1, args.size())));
    add(functions, "eq", 2, VARIADIC, args -> BooleanNode.valueOf(GoComparison.equalsAny(args.getFirst(), args.subList(1, args.size()))));
    add(functions, "ne", 2, 2, args -> BooleanNode.valueOf(!GoComparison.equalsAny(args.getFirst(), args.subList(1, 2))));
    add(functions, "lt", 2, 2, args -> BooleanNode.valueOf(GoComparison.compare(args.get(0), args.get(1)) < 0));
    add(functions, "le", 2, 2, args -> BooleanNode.valueOf(GoComparison.compare(args.get(0), args.get(1)) <= 0));
    add(functions, "gt", 2, 2, args -> BooleanNode.valueOf(GoComparison.compare(args.get(0), args.get(1)) > 0));
    add(functions, "ge", 2, 2, args -> BooleanNode.valueOf(GoComparison.compare(args.get(0), args.get(1)) >= 0));
    add(functions, "print", 0, VARIADIC, args -> TextNode.valueOf(GoPrintf.sprint(args)));
    add(functions, "println", 0, VARIADIC, args -> TextNode.valueOf(GoPrintf.sprintln(args)));
    add(functions, "printf", 1, VARIADIC, args -> TextNode.valueOf(GoPrintf.sprintf(string(args, 0), args.subList(1, args.size()))));
    // Docker's additions (cli/templates).
    add(functions, "json", 1, 1, args -> TextNode.valueOf(json(args.getFirst())));
    add(functions, "join", 2, 2, args -> TextNode.valueOf(join(args.get(0), string(args, 1))));
    add(functions, "split", 2, 2, args -> split(string(args, 0), string(args, 1)));
    add(functions, "upper", 1, 1, args -> TextNode.valueOf(string(args, 0).toUpperCase(Locale.ROOT)));
    add(functions, "lower", 1, 1, args -> TextNode.valueOf(string(args, 0).toLowerCase(Locale.ROOT)));
    add(functions, "title", 1, 1, args -> TextNode.valueOf(title(string(args, 0))));
    add(functions, "pad", 3, 3, args -> TextNode.valueOf(pad(string(args, 0), integer(args, 1), integer(args, 2))));
    add(functions, "truncate", 2, 2, args -> TextNode.valueOf(truncate(string(args, 0), integer(args, 1))));
    return Map.copyOf(functions);
  }

  /**
   * What Docker runs the template with to render a table's header row: the data is the header
   * texts, so Docker's functions hand their first argument back unchanged and json prints nothing.
   */
  static Map<String, TemplateFunction> forHeader() {
    Map<String, TemplateFunction> functions = new HashMap<>(standard());
    add(functions, "json", 1, 1, args -> TextNode.valueOf(""));
    for (String passThrough : List.of("join", "split", "upper", "lower", "title", "pad", "truncate")) {
      TemplateFunction real = functions.get(passThrough);
      add(functions, passThrough, real.minArgs(), real.maxArgs(), args -> args.getFirst());
    }
    return Map.copyOf(functions);
  }

  private static void add(Map<String, TemplateFunction> functions, String name, int min, int max, TemplateFunction.Body body) {
    functions.put(name, new TemplateFunction(name, min, max, body));
  }

  private static String string(List<JsonNode> args, int i) {
    JsonNode arg = args.get(i);
    if (!arg.isTextual()) throw TemplateFunction.Failure.wrongType("string", arg);
    return arg.textValue();
  }

  private static int integer(List<JsonNode> args, int i) {
    JsonNode arg = args.get(i);
    if (!GoValues.isIntegral(arg)) throw TemplateFunction.Failure.wrongType("int", arg);
    return arg.intValue();
  }

  /** Docker's json: encoding/json without HTML escaping, no trailing newline. */
  private static String json(JsonNode value) {
    try {
      return JSON.writeValueAsString(GoValues.isNoValue(value) ? NullNode.getInstance() : withPlainFloats(value));
    } catch (JsonProcessingException e) {
      throw TemplateFunction.Failure.calling(e.getOriginalMessage());
    }
  }

  /** A copy of the tree with floats as shortest plain decimals (a tree without floats is returned as is). */
  private static JsonNode withPlainFloats(JsonNode value) {
    if (value.isFloatingPointNumber() && Double.isFinite(value.doubleValue())) {
      return DecimalNode.valueOf(new BigDecimal(Double.toString(value.doubleValue())).stripTrailingZeros());
    }
    if (value.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      value.forEach(item -> copy.add(withPlainFloats(item)));
      return copy;
    }
    if (value.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      value.properties().forEach(entry -> copy.set(entry.getKey(), withPlainFloats(entry.getValue())));
      return copy;
    }
    return value;
  }

  private static JsonNode length(JsonNode value) {
    if (GoValues.isNoValue(value)) throw TemplateFunction.Failure.calling("len of nil pointer");
    if (value.isTextual()) return IntNode.valueOf(value.textValue().getBytes(StandardCharsets.UTF_8).length);
    if (value.isContainerNode()) return IntNode.valueOf(value.size());
    throw TemplateFunction.Failure.calling("len of type " + GoValues.typeName(value));
  }

  /** index X 1 "key": list positions and map keys; a missing map key gives no value, as in Go. */
  private static JsonNode index(JsonNode item, List<JsonNode> keys) {
    JsonNode current = item;
    for (JsonNode key : keys) {
      if (GoValues.isNoValue(current)) throw TemplateFunction.Failure.calling("index of untyped nil");
      if (current.isObject()) {
        if (!key.isTextual()) {
          throw TemplateFunction.Failure.calling("value has type " + GoValues.typeName(key) + "; should be string");
        }
        JsonNode value = current.get(key.textValue());
        current = value == null ? NullNode.getInstance() : value;
      } else if (current.isArray() || current.isTextual()) {
        int size = current.isArray() ? current.size() : current.textValue().getBytes(StandardCharsets.UTF_8).length;
        int position = position(key, size, size - 1);
        current = current.isArray()
            ? current.get(position)
            : IntNode.valueOf(current.textValue().getBytes(StandardCharsets.UTF_8)[position] & 0xff);
      } else {
        throw TemplateFunction.Failure.calling("can't index item of type " + GoValues.typeName(current));
      }
    }
    return current;
  }

  /** slice X 1 2: X[1:2] of a list or (bytewise, as Go) of a string. */
  private static JsonNode slice(JsonNode item, List<JsonNode> bounds) {
    if (bounds.size() > 2) throw TemplateFunction.Failure.calling("cannot 3-index slice a " + GoValues.typeName(item));
    if (item.isArray()) {
      int from = bounds.isEmpty() ? 0 : position(bounds.get(0), item.size(), item.size());
      int to = bounds.size() < 2 ? item.size() : position(bounds.get(1), item.size(), item.size());
      if (from > to) throw TemplateFunction.Failure.calling("invalid slice index: " + from + " > " + to);
      ArrayNode result = JsonNodeFactory.instance.arrayNode();
      for (int i = from; i < to; i++) result.add(item.get(i));
      return result;
    }
    if (item.isTextual()) {
      byte[] bytes = item.textValue().getBytes(StandardCharsets.UTF_8);
      int from = bounds.isEmpty() ? 0 : position(bounds.get(0), bytes.length, bytes.length);
      int to = bounds.size() < 2 ? bytes.length : position(bounds.get(1), bytes.length, bytes.length);
      if (from > to) throw TemplateFunction.Failure.calling("invalid slice index: " + from + " > " + to);
      return TextNode.valueOf(new String(bytes, from, to - from, StandardCharsets.UTF_8));
    }
    throw TemplateFunction.Failure.calling("can't slice item of type " + GoValues.typeName(item));
  }

  private static int position(JsonNode key, int size, int max) {
    if (!GoValues.isIntegral(key)) {
      throw TemplateFunction.Failure.calling("cannot index slice/array with type " + GoValues.typeName(key));
    }
    long position = key.longValue();
    if (position < 0 || position > max) throw TemplateFunction.Failure.calling("index out of range: " + position);
    return (int) position;
  }

  /** strings.Join; Docker's takes []string, elements that are not strings print as %v would. */
  private static String join(JsonNode list, String separator) {
    if (!list.isArray()) throw TemplateFunction.Failure.wrongType("[]string", list);
    StringJoiner joined = new StringJoiner(separator);
    list.forEach(item -> joined.add(GoValues.format(item)));
    return joined.toString();
  }

  /** strings.Split: every separator splits, empty pieces kept; an empty separator splits characters. */
  private static JsonNode split(String s, String separator) {
    ArrayNode pieces = JsonNodeFactory.instance.arrayNode();
    if (separator.isEmpty()) {
      s.codePoints().forEach(c -> pieces.add(Character.toString(c)));
      return pieces;
    }
    int from = 0;
    for (int at = s.indexOf(separator); at >= 0; at = s.indexOf(separator, from)) {
      pieces.add(s.substring(from, at));
      from = at + separator.length();
    }
    return pieces.add(s.substring(from));
  }

  /** strings.Title: upper-case the first letter of each word; the rest stays as it is. */
  private static String title(String s) {
    StringBuilder out = new StringBuilder();
    int[] previous = {' '};
    s.codePoints().forEach(c -> {
      out.appendCodePoint(isWordSeparator(previous[0]) ? Character.toTitleCase(c) : c);
      previous[0] = c;
    });
    return out.toString();
  }

  private static boolean isWordSeparator(int c) {
    if (c < 0x80) return !(Character.isLetterOrDigit(c) || c == '_');
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  /** Docker's pad: spaces around a non-empty string. */
  private static String pad(String s, int prefix, int suffix) {
    return s.isEmpty() ? s : " ".repeat(Math.max(0, prefix)) + s + " ".repeat(Math.max(0, suffix));
  }

  /** Docker's truncate: at most {@code length} characters. */
  private static String truncate(String s, int length) {
    if (length < 0 || s.codePointCount(0, s.length()) < length) return s;
    return s.substring(0, s.offsetByCodePoints(0, length));
  }
}
