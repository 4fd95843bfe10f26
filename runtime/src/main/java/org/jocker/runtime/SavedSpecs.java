package org.jocker.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jocker.runtime.spec.Spec;

/**
 * The parsed configs saved in containers' state directories, for the whole process: `exec` reads
 * its container's twice (the process defaults, then the launch), and the resident engine serves
 * many commands on the same containers. Parsing a config (its seccomp profile above all) costs
 * more than the rest of most commands; reading and comparing its bytes does not, and keeps an
 * entry exact whatever replaced the file.
 */
final class SavedSpecs {
  private static final int SIZE = 64;

  private record Parsed(byte[] bytes, Spec spec) {}

  private static final Map<Path, Parsed> SPECS = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Path, Parsed> eldest) {
      return size() > SIZE;
    }
  };

  private SavedSpecs() {}

  static Spec read(Path config, ObjectMapper json) throws IOException {
    byte[] bytes = Files.readAllBytes(config);
    synchronized (SPECS) {
      Parsed e = SPECS.get(config);
      if (e != null && Arrays.equals(e.bytes(), bytes)) {
        return e.spec();
      }
    }
    Spec spec = json.readValue(bytes, Spec.class);
    synchronized (SPECS) {
      SPECS.put(config, new Parsed(bytes, spec));
    }
    return spec;
  }
}
