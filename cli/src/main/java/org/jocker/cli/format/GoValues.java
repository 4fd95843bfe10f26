package org.jocker.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.StringJoiner;

/**
 * How Go sees JSON values: truthiness, type names, and fmt's default (%v) printing. Jackson's
 * MissingNode plays Go's "no value" (a missing map key); NullNode a JSON null.
 */
final class GoValues {
  private GoValues() {}

  static boolean isNoValue(JsonNode value) {
    return value == null || value.isMissingNode() || value.isNull();
  }

  /** Go's truth: false, 0, "", nil and empty lists and maps are false. */
  static boolean isTrue(JsonNode value) {
    if (isNoValue(value)) return false;
    if (value.isBoolean()) return value.booleanValue();
    if (value.isNumber()) return value.decimalValue().signum() != 0;
    if (value.isTextual()) return !value.textValue().isEmpty();
    return value.size() > 0;
  }

  /** Integers, and floats with no fraction (JSON cannot tell 3 from 3.0, Docker's ints can). */
  static boolean isIntegral(JsonNode value) {
    if (value.isIntegralNumber()) return true;
    if (!value.isNumber()) return false;
    double d = value.doubleValue();
    return !Double.isInfinite(d) && d == Math.rint(d) && Math.abs(d) < 1e21;
  }

  /** What an action prints: a missing key or a JSON null shows as Go's "<no value>". */
  static String print(JsonNode value) {
    return isNoValue(value) ? "<no value>" : format(value);
  }

  /** fmt's %v: strings raw, [a b c] for lists, map[k:v] with sorted keys, <nil> for nil. */
  static String format(JsonNode value) {
    if (isNoValue(value)) return "<nil>";
    if (value.isTextual()) return value.textValue();
    if (value.isBoolean()) return Boolean.toString(value.booleanValue());
    if (value.isNumber()) return formatNumber(value);
    if (value.isArray()) {
      StringJoiner items = new StringJoiner(" ", "[", "]");
      value.forEach(item -> items.add(format(item)));
      return items.toString();
    }
    if (value.isObject()) {
      StringJoiner entries = new StringJoiner(" ", "map[", "]");
      for (String key : sortedKeys(value)) entries.add(key + ":" + format(value.get(key)));
      return entries.toString();
    }
    return value.asText();
  }

  static String formatNumber(JsonNode number) {
    if (number.isIntegralNumber()) return number.bigIntegerValue().toString();
    if (isIntegral(number)) return new BigDecimal(number.doubleValue()).toBigInteger().toString();
    return formatFloat(number.doubleValue());
  }

  /** Go's %v for a float64: the shortest digits, in e-notation below 1e-4 or from 1e6 on. */
  static String formatFloat(double d) {
    if (Double.isNaN(d)) return "NaN";
    if (Double.isInfinite(d)) return d > 0 ? "+Inf" : "-Inf";
    if (d == 0) return (1 / d < 0) ? "-0" : "0";
    BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = exact.unscaledValue().toString();
    int pointAt = digits.length() - exact.scale();
    int exponent = pointAt - 1;
    String sign = d < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 6) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
    if (pointAt <= 0) return sign + "0." + "0".repeat(-pointAt) + digits;
    if (pointAt >= digits.length()) return sign + digits + "0".repeat(pointAt - digits.length());
    return sign + digits.substring(0, pointAt) + "." + digits.substring(pointAt);
  }

  /** Go's name for the type a JSON value decodes to, as its error messages show it. */
  static String typeName(JsonNode value) {
    if (isNoValue(value)) return "<nil>";
    if (value.isTextual()) return "string";
    if (value.isBoolean()) return "bool";
    if (value.isNumber()) return isIntegral(value) ? "int" : "float64";
    if (value.isArray()) return "[]interface {}";
    return "map[string]interface {}";
  }

  /** Go ranges over and prints maps in key order. */
  static List<String> sortedKeys(JsonNode object) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) keys.add(names.next());
    keys.sort(null);
    return keys;
  }

  /** strconv.Quote: a double-quoted Go string literal. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    s.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case 7 -> out.append("\\a");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case 11 -> out.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) out.append(String.format("\\x%02x", c));
          else if (isPrintable(c)) out.appendCodePoint(c);
          else if (c < 0x10000) out.append(String.format("\\u%04x", c));
          else out.append(String.format("\\U%08x", c));
        }
      }
    });
    return out.append('"').toString();
  }

  private static boolean isPrintable(int c) {
    int type = Character.getType(c);
    return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
        && type != Character.PRIVATE_USE && type != Character.SURROGATE
        && (c == ' ' || !Character.isWhitespace(c) && !Character.isSpaceChar(c));
  }
}
