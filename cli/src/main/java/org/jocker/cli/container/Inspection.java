package org.jocker.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.format.InspectOutput;
import org.jocker.engine.EngineException;
import org.jocker.engine.Engine;

/**
 * `inspect` of containers and images, as Docker's: containers are tried first, then images
 * (unless a type is given); each object found is printed (a JSON array, or the template per
 * object), each one not found gives "Error: No such object: X" on stderr and exit code 1.
 */
public final class Inspection {
  private Inspection() {}

  /** @param type "container", "image" or null for both */
  public static int inspect(JockerCommand jocker, List<String> names, String type, String format, boolean size) {
    return EngineErrors.handled(jocker, () -> {
      InspectOutput output = new InspectOutput(format, System.out);
      Engine engine = jocker.engine();
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
        output.add(node.get());
      }
      output.finish();
      return code;
    });
  }
}
