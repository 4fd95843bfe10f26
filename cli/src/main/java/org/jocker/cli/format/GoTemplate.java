package org.jocker.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A Docker {@code --format} template: the part of Go's text/template that Docker users write,
 * run against the JSON of the object being formatted.
 *
 * <pre>{@code
 * GoTemplate t = GoTemplate.parse("table {{.ID}}\\t{{.Names}}");   // docker ps / images
 * if (t.isTable()) out.println(t.header(Map.of("ID", "CONTAINER ID", "Names", "NAMES")));
 * for (JsonNode row : rows) out.println(t.execute(row));
 *
 * GoTemplate.parseInspect("{{.State.Pid}}").execute(container);    // docker inspect
 * }</pre>
 *
 * Both factories and {@link #execute} throw {@link TemplateException} with a one-line message
 * worded like Docker's.
 */
public final class GoTemplate {
  private static final String TABLE_PREFIX = "table";
  private static final Map<String, TemplateFunction> FUNCTIONS = TemplateFunctions.standard();
  private static final Map<String, TemplateFunction> HEADER_FUNCTIONS = TemplateFunctions.forHeader();

  private final String source;
  private final List<Node> nodes;
  private final boolean table;

  private GoTemplate(String source, boolean table) {
    this.source = source;
    this.nodes = TemplateParser.parse(source, FUNCTIONS.keySet());
    this.table = table;
  }

  /**
   * A list format, as docker ps, images, network ls... take it: a leading "table" asks for a
   * header row, surrounding spaces go, and the two-character sequences \t and \n become a tab and
   * a newline (Docker's CLI does this to the whole string, before Go parses it).
   */
  public static GoTemplate parse(String format) {
    boolean table = format.startsWith(TABLE_PREFIX);
    String body = table ? format.substring(TABLE_PREFIX.length()) : format;
    body = body.strip().replace("\\t", "\t").replace("\\n", "\n");
    return new GoTemplate(body, table);
  }

  /** A format as docker inspect takes it: the Go template exactly as written. */
  public static GoTemplate parseInspect(String format) {
    return new GoTemplate(format, false);
  }

  /** Whether the format began with "table", so the caller prints {@link #header} first. */
  public boolean isTable() {
    return table;
  }

  /** The template's output for one object (one container, one row); no newline is added. */
  public String execute(JsonNode data) {
    StringBuilder out = new StringBuilder();
    new TemplateEvaluator(source, FUNCTIONS, out).execute(nodes, data);
    return out.toString();
  }

  /**
   * The header row of a table, made as Docker makes it: the template runs against the map from
   * field name to header text ("ID" to "CONTAINER ID"), with Docker's string functions passing
   * their argument through and json printing nothing. Like Docker, a failure part-way keeps what
   * was printed so far.
   */
  public String header(Map<String, String> headers) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    headers.forEach(data::put);
    StringBuilder out = new StringBuilder();
    try {
      new TemplateEvaluator(source, HEADER_FUNCTIONS, out).execute(nodes, data);
    } catch (TemplateException partial) {
      // Docker ignores errors here: a header cell for .Labels.foo cannot be looked up in a string.
    }
    return out.toString();
  }
}
