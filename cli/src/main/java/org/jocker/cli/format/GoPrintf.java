package org.jocker.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;

/**
 * fmt.Sprintf, fmt.Sprint and fmt.Sprintln over JSON values: the verbs people put in --format
 * (%s %v %d %q %t %f %e %g %x %X %c %T %%), flags - + 0 and space, width and precision. Mistakes
 * print inline the way Go does (%!d(string=abc), %!s(MISSING), %!(EXTRA ...)) rather than failing.
 */
final class GoPrintf {
  private GoPrintf() {}

  /** The parsed "%-08.3" part of a directive. */
  private record Spec(boolean minus, boolean plus, boolean space, boolean zero, int width, int precision) {}

  static String sprintf(String format, List<JsonNode> args) {
    StringBuilder out = new StringBuilder();
    int argIndex = 0;
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i++);
      if (c != '%') {
        out.append(c);
        continue;
      }
      boolean minus = false, plus = false, space = false, zero = false;
      for (; i < format.length(); i++) {
        char flag = format.charAt(i);
        if (flag == '-') minus = true;
        else if (flag == '+') plus = true;
        else if (flag == ' ') space = true;
        else if (flag == '0') zero = true;
        else if (flag != '#') break;
      }
      int width = -1;
      if (i < format.length() && format.charAt(i) == '*') {
        i++;
        if (argIndex < args.size() && GoValues.isIntegral(args.get(argIndex))) {
          width = args.get(argIndex++).intValue();
          if (width < 0) {
            minus = true;
            width = -width;
          }
        } else {
          out.append("%!(BADWIDTH)");
        }
      } else {
        int start = i;
        while (i < format.length() && Character.isDigit(format.charAt(i))) i++;
        if (i > start) width = Integer.parseInt(format.substring(start, i));
      }
      int precision = -1;
      if (i < format.length() && format.charAt(i) == '.') {
        i++;
        if (i < format.length() && format.charAt(i) == '*') {
          i++;
          if (argIndex < args.size() && GoValues.isIntegral(args.get(argIndex))) {
            precision = Math.max(0, args.get(argIndex++).intValue());
          } else {
            out.append("%!(BADPREC)");
          }
        } else {
          int start = i;
          while (i < format.length() && Character.isDigit(format.charAt(i))) i++;
          precision = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
        }
      }
      if (i >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      int verb = format.codePointAt(i);
      i += Character.charCount(verb);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (argIndex >= args.size()) {
        out.append("%!").appendCodePoint(verb).append("(MISSING)");
        continue;
      }
      out.append(formatOne(verb, new Spec(minus, plus, space, zero, width, precision), args.get(argIndex++)));
    }
    if (argIndex < args.size()) {
      StringJoiner extra = new StringJoiner(", ", "%!(EXTRA ", ")");
      for (JsonNode arg : args.subList(argIndex, args.size())) {
        extra.add(GoValues.isNoValue(arg) ? "<nil>" : GoValues.typeName(arg) + "=" + GoValues.format(arg));
      }
      out.append(extra);
    }
    return out.toString();
  }

  /** fmt.Sprint: a space between operands when neither side is a string. */
  static String sprint(List<JsonNode> args) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      boolean isString = args.get(i).isTextual();
      if (i > 0 && !isString && !args.get(i - 1).isTextual()) out.append(' ');
      out.append(GoValues.format(args.get(i)));
    }
    return out.toString();
  }

  /** fmt.Sprintln: spaces between all operands, and a newline. */
  static String sprintln(List<JsonNode> args) {
    StringJoiner line = new StringJoiner(" ", "", "\n");
    args.forEach(arg -> line.add(GoValues.format(arg)));
    return line.toString();
  }

  private static String formatOne(int verb, Spec spec, JsonNode arg) {
    if (verb == 'T') return pad(GoValues.typeName(arg), spec, false);
    if (verb == 'v') return pad(truncate(GoValues.format(arg), spec), spec, false);
    if (GoValues.isNoValue(arg)) return "%!" + Character.toString(verb) + "(<nil>)";
    String formatted = switch (verb) {
      case 's' -> arg.isTextual() || arg.isContainerNode() ? truncate(GoValues.format(arg), spec) : null;
      case 'q' -> arg.isTextual() ? GoValues.quote(truncate(arg.textValue(), spec))
          : GoValues.isIntegral(arg) ? quoteRune(arg.intValue()) : null;
      case 't' -> arg.isBoolean() ? Boolean.toString(arg.booleanValue()) : null;
      case 'd' -> GoValues.isIntegral(arg) ? signed(integer(arg).toString(), spec) : null;
      case 'c' -> GoValues.isIntegral(arg) ? Character.toString(arg.intValue()) : null;
      case 'x', 'X' -> hex(arg, spec, verb == 'X');
      case 'f', 'F', 'e', 'E', 'g', 'G' -> arg.isNumber() ? signed(floating(verb, arg.decimalValue(), arg.doubleValue(), spec.precision()), spec) : null;
      default -> null;
    };
    if (formatted == null) {
      return "%!" + Character.toString(verb) + "(" + GoValues.typeName(arg) + "=" + GoValues.format(arg) + ")";
    }
    boolean numeric = "dxXfFeEgG".indexOf(verb) >= 0 && arg.isNumber();
    return pad(formatted, spec, numeric);
  }

  private static BigInteger integer(JsonNode arg) {
    return arg.isIntegralNumber() ? arg.bigIntegerValue() : arg.decimalValue().toBigInteger();
  }

  private static String hex(JsonNode arg, Spec spec, boolean upper) {
    String digits;
    if (GoValues.isIntegral(arg)) digits = signed(integer(arg).toString(16), spec);
    else if (arg.isTextual()) digits = HexFormat.of().formatHex(arg.textValue().getBytes(StandardCharsets.UTF_8));
    else return null;
    return upper ? digits.toUpperCase() : digits;
  }

  private static String floating(int verb, BigDecimal value, double d, int precision) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return GoValues.formatFloat(d);
    return switch (verb) {
      case 'f', 'F' -> value.setScale(precision < 0 ? 6 : precision, RoundingMode.HALF_EVEN).toPlainString();
      case 'e', 'E' -> {
        String e = scientific(value, precision < 0 ? 6 : precision);
        yield verb == 'E' ? e.toUpperCase() : e;
      }
      default -> {
        String g = precision < 0 ? GoValues.formatFloat(d)
            : GoValues.formatFloat(value.round(new MathContext(Math.max(1, precision), RoundingMode.HALF_EVEN)).doubleValue());
        yield verb == 'G' ? g.toUpperCase() : g;
      }
    };
  }

  /** d.dddde±XX with {@code digits} digits after the point. */
  private static String scientific(BigDecimal value, int digits) {
    if (value.signum() == 0) return (digits > 0 ? "0." + "0".repeat(digits) : "0") + "e+00";
    BigDecimal rounded = value.round(new MathContext(digits + 1, RoundingMode.HALF_EVEN));
    int exponent = rounded.precision() - rounded.scale() - 1;
    String unscaled = rounded.abs().unscaledValue().toString();
    unscaled = (unscaled + "0".repeat(digits + 1)).substring(0, digits + 1);
    String mantissa = digits > 0 ? unscaled.charAt(0) + "." + unscaled.substring(1) : unscaled;
    return (value.signum() < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
        + String.format("%02d", Math.abs(exponent));
  }

  private static String signed(String number, Spec spec) {
    if (number.startsWith("-")) return number;
    if (spec.plus()) return "+" + number;
    return spec.space() ? " " + number : number;
  }

  private static String truncate(String s, Spec spec) {
    if (spec.precision() < 0 || s.codePointCount(0, s.length()) <= spec.precision()) return s;
    return s.substring(0, s.offsetByCodePoints(0, spec.precision()));
  }

  private static String quoteRune(int codePoint) {
    String quoted = GoValues.quote(Character.toString(codePoint));
    String inner = quoted.substring(1, quoted.length() - 1).replace("\\\"", "\"");
    return "'" + (inner.equals("'") ? "\\'" : inner) + "'";
  }

  /** Width: spaces on the left (right with -), or zeros after the sign for numbers with 0. */
  private static String pad(String s, Spec spec, boolean numeric) {
    int length = s.codePointCount(0, s.length());
    if (spec.width() <= length) return s;
    int fill = spec.width() - length;
    if (spec.minus()) return s + " ".repeat(fill);
    if (spec.zero() && numeric) {
      int signLength = s.startsWith("-") || s.startsWith("+") || s.startsWith(" ") ? 1 : 0;
      return s.substring(0, signLength) + "0".repeat(fill) + s.substring(signLength);
    }
    return " ".repeat(fill) + s;
  }
}
