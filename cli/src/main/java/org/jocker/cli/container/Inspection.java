package org.jocker.cli.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Optional;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.GoTemplate;
import org.jocker.engine.EngineException;
import org.jocker.engine.Engine;

/**
 * `inspect` of containers and images, as Docker's: containers are tried first, then images
 * (unless a type is given); each object found is printed (a JSON array, or the template per
 * object), each one not found gives "Error: No such object: X" on stderr and exit code 1.
 */
public final class Inspection {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Inspection() {}

  /** @param type "container", "image" or null for both */
  public static int inspect(JockerCommand jocker, List<String> names, String type, String format, boolean size) {
    return EngineErrors.handled(jocker, () -> {
      GoTemplate template = format == null ? null : GoTemplate.parseInspect(format);
      Engine engine = jocker.engine();
      ArrayNode found = JSON.createArrayNode();
      int code = 0;
      for (String name : names) {
        Optional<JsonNode> node = Optional.empty();
        if (type == null || type.equals("container")) {
          if (engine.operations().lookup(name).isPresent()) {
            node = Optional.of(engine.operations().inspect(name, size));
          }
        }
        if (node.isEmpty() && (type == null || type.equals("image"))) {
          try {
            node = Optional.of(engine.imageManager().inspect(name));
          } catch (EngineException e) {
            // not an image either
          }
        }
        if (node.isEmpty()) {
          String what = type == null ? "object" : type;
          System.err.println("Error: No such " + what + ": " + name);
          code = 1;
          continue;
        }
        if (template != null) {
          System.out.println(template.execute(node.get()));
        } else {
          found.add(node.get());
        }
      }
      if (template == null) {
        try {
          System.out.println(found.isEmpty() ? "[]" : JSON.writeValueAsString(found));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
      }
      return code;
    });
  }
}
