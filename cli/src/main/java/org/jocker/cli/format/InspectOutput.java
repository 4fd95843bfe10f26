package org.jocker.cli.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintStream;
import java.util.List;

/**
 * What `inspect` prints, as Docker's: with a --format template, each object found as it comes;
 * without one, all of them at the end as one indented JSON array.
 */
public final class InspectOutput {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final GoTemplate template;
  private final ArrayNode found = JSON.createArrayNode();
  private final PrintStream out;

  /** @param format the --format template, or null for JSON; a bad template fails here */
  public InspectOutput(String format, PrintStream out) {
    this.template = format == null ? null : GoTemplate.parseInspect(format);
    this.out = out;
  }

  /** Prints all of {@code objects}, found before any is printed. */
  public static void print(List<JsonNode> objects, String format, PrintStream out) {
    InspectOutput output = new InspectOutput(format, out);
    objects.forEach(output::add);
    output.finish();
  }

  public void add(JsonNode object) {
    if (template != null) {
      out.println(template.execute(object));
    } else {
      found.add(object);
    }
  }

  /** Without a template, prints the array ("[]" when nothing was found). */
  public void finish() {
    if (template != null) {
      return;
    }
    try {
      out.println(found.isEmpty() ? "[]" : JSON.writeValueAsString(found));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
