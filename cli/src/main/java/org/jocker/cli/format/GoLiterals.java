package org.jocker.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigInteger;

/** Go constant syntax inside actions: quoted strings, character constants and numbers. */
final class GoLiterals {
  private GoLiterals() {}

  /** The value of a "..." (with Go's escapes) or `...` (raw) literal; null when malformed. */
  static String unquote(String literal) {
    if (literal.startsWith("`")) return literal.substring(1, literal.length() - 1);
    StringBuilder out = new StringBuilder();
    String body = literal.substring(1, literal.length() - 1);
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = body.charAt(++i);
      switch (e) {
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'v' -> out.append('\u000b');
        case '\\', '"', '\'' -> out.append(e);
        case 'x', 'u', 'U' -> {
          int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          Integer code = hex(body, i + 1, digits);
          if (code == null) return null;
          out.appendCodePoint(code);
          i += digits;
        }
        default -> {
          if (e < '0' || e > '7' || i + 2 >= body.length()) return null;
          try {
            out.append((char) Integer.parseInt(body.substring(i, i + 3), 8));
          } catch (NumberFormatException bad) {
            return null;
          }
          i += 2;
        }
      }
    }
    return out.toString();
  }

  /** 'a' is the number 97 in Go templates, as in Go. */
  static JsonNode character(String literal) {
    String value = unquote("\"" + literal.substring(1, literal.length() - 1) + "\"");
    if (value == null || value.codePointCount(0, value.length()) != 1) return null;
    return IntNode.valueOf(value.codePointAt(0));
  }

  /** An integer when the text is one (0x.., 0o.., 0b.., underscores allowed), else a float. */
  static JsonNode number(String text) {
    String digits = text.replace("_", "");
    boolean negative = digits.startsWith("-");
    if (negative || digits.startsWith("+")) digits = digits.substring(1);
    int radix = 10;
    String lower = digits.toLowerCase();
    if (lower.startsWith("0x")) radix = 16;
    else if (lower.startsWith("0o")) radix = 8;
    else if (lower.startsWith("0b")) radix = 2;
    else if (lower.matches("0[0-7]+")) radix = 8; // Go's legacy octal: 0755
    String magnitude = radix == 10 ? digits : digits.substring(lower.matches("0[0-7]+") ? 1 : 2);
    try {
      BigInteger value = new BigInteger(magnitude, radix);
      if (negative) value = value.negate();
      if (value.bitLength() < 32) return IntNode.valueOf(value.intValue());
      if (value.bitLength() < 64) return LongNode.valueOf(value.longValue());
      return null;
    } catch (NumberFormatException notAnInteger) {
      // fall through to a float
    }
    try {
      return radix == 10 ? DoubleNode.valueOf(Double.parseDouble(text.replace("_", ""))) : null;
    } catch (NumberFormatException bad) {
      return null;
    }
  }

  private static Integer hex(String s, int from, int digits) {
    if (from + digits > s.length()) return null;
    try {
      return Integer.parseInt(s.substring(from, from + digits), 16);
    } catch (NumberFormatException bad) {
      return null;
    }
  }
}
