package org.jocker.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.EngineException;
import org.jocker.engine.spec.HostConfigParser;
import org.jocker.images.BuildCachePruner;

/**
 * The build cache's size limit, as Docker's daemon.json sets BuildKit's garbage collection:
 * {@code "builder": {"gc": {"enabled": true, "defaultKeepStorage": "10GB"}}}; by default on, keeping
 * a tenth of the root's file system as BuildKit does. After a build, when the cache holds more,
 * the least recently used records go (what images use stays).
 */
final class BuildCacheLimit {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BuildCacheLimit() {}

  static void enforce(JockerCommand jocker) {
    JsonNode gc = gcSection(jocker.configFile());
    if (gc.path("enabled").isBoolean() && !gc.path("enabled").asBoolean()) {
      return;
    }
    long keep;
    if (gc.hasNonNull("defaultKeepStorage")) {
      keep = HostConfigParser.size("defaultKeepStorage", gc.get("defaultKeepStorage").asText());
    } else {
      try {
        keep = Files.getFileStore(jocker.rootDirectory()).getTotalSpace() / 10;
      } catch (IOException e) {
        return; // no file system to measure: no limit
      }
    }
    if (jocker.engine().images().buildCache().approximateBytes() > keep) {
      jocker.engine().imageManager().pruneBuildCache(new BuildCachePruner.Request(true, null, keep));
    }
  }

  private static JsonNode gcSection(Path file) {
    try {
      return JSON.readTree(Files.readAllBytes(file)).path("builder").path("gc");
    } catch (NoSuchFileException e) {
      return JSON.missingNode();
    } catch (IOException e) {
      throw EngineException.invalidArgument("unable to configure the engine with file " + file + ": "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
