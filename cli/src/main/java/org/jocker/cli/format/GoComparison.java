package org.jocker.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * eq, ne, lt, le, gt, ge: between two numbers, two strings or two booleans (booleans only for
 * equality). Unlike Go, ints and floats compare by value: JSON does not keep them apart.
 */
final class GoComparison {
  private GoComparison() {}

  /** eq A B C...: whether A equals any of the others. */
  static boolean equalsAny(JsonNode first, List<JsonNode> others) {
    for (JsonNode other : others) {
      if (equal(first, other)) return true;
    }
    return false;
  }

  private static boolean equal(JsonNode a, JsonNode b) {
    if (GoValues.isNoValue(a) || GoValues.isNoValue(b)) return GoValues.isNoValue(a) && GoValues.isNoValue(b);
    if (a.isContainerNode() || b.isContainerNode()) {
      throw TemplateFunction.Failure.calling("non-comparable type " + GoValues.typeName(a.isContainerNode() ? a : b));
    }
    if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
    if (a.isTextual() && b.isTextual()) return a.textValue().equals(b.textValue());
    if (a.isBoolean() && b.isBoolean()) return a.booleanValue() == b.booleanValue();
    throw TemplateFunction.Failure.calling("incompatible types for comparison");
  }

  static int compare(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue());
    if (a.isTextual() && b.isTextual()) return a.textValue().compareTo(b.textValue());
    if (!isOrdered(a) || !isOrdered(b)) throw TemplateFunction.Failure.calling("invalid type for comparison");
    throw TemplateFunction.Failure.calling("incompatible types for comparison");
  }

  private static boolean isOrdered(JsonNode value) {
    return value != null && (value.isNumber() || value.isTextual());
  }
}
