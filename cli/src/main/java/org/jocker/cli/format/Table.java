package org.jocker.cli.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints rows as `ps` and `images` do: with a Go template from --format (a "table" template gets
 * a header and aligned columns), or the default table.
 *
 * @param columns field name → header text, in the default table's order
 */
public record Table(Map<String, String> columns) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PADDING = 3;

  public void print(List<Map<String, Object>> rows, String format, PrintStream out) {
    if (format == null || format.isEmpty() || format.equals("table")) {
      StringBuilder def = new StringBuilder("table ");
      columns.keySet().forEach(k -> def.append("{{.").append(k).append("}}\\t"));
      format = def.substring(0, def.length() - 2);
    }
    GoTemplate template = GoTemplate.parse(format);
    List<String> lines = new ArrayList<>();
    if (template.isTable()) {
      lines.add(template.header(columns));
    }
    for (Map<String, Object> row : rows) {
      lines.add(template.execute(JSON.valueToTree(row)));
    }
    if (template.isTable()) {
      align(lines).forEach(out::println);
    } else {
      lines.forEach(out::println);
    }
  }

  /** As {@link #print}, for the list commands (ps, images, stats): "json" prints each row as a JSON object. */
  public void printList(List<Map<String, Object>> rows, String format, PrintStream out) {
    print(rows, "json".equals(format) ? "{{json .}}" : format, out);
  }

  /** Like Go's tabwriter with Docker's settings: cells separated by at least three spaces. */
  private static List<String> align(List<String> lines) {
    Map<Integer, Integer> widths = new LinkedHashMap<>();
    List<String[]> cells = new ArrayList<>();
    for (String line : lines) {
      String[] c = line.split("\t", -1);
      cells.add(c);
      for (int i = 0; i < c.length - 1; i++) {
        widths.merge(i, c[i].length(), Math::max);
      }
    }
    List<String> out = new ArrayList<>();
    for (String[] c : cells) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < c.length; i++) {
        sb.append(c[i]);
        if (i < c.length - 1) {
          sb.append(" ".repeat(widths.get(i) - c[i].length() + PADDING));
        }
      }
      out.add(sb.toString().stripTrailing());
    }
    return out;
  }
}
