package org.jocker.engine.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.volume.VolumeStore;
import org.jocker.runtime.spec.Spec;

/**
 * `--volumes-from CONTAINER[:ro|rw]` by Docker's rules: the other container's binds and volumes
 * (not its tmpfs mounts or its init) at the same paths; `ro` makes them read-only, the default
 * keeps each one's mode. Read from the other container's config.json, which names the real sources
 * (anonymous volumes included).
 */
public final class VolumesFrom {
  private static final Set<String> MODES = Set.of("ro", "rw", "z", "Z");

  private VolumesFrom() {}

  /**
   * @param find the container of an id or name (throws "No such container")
   */
  public static List<MountsFactory.Planned> resolve(List<String> specs, Function<String, ContainerRecord> find,
      ContainerStore containers, VolumeStore volumes) {
    List<MountsFactory.Planned> out = new ArrayList<>();
    for (String value : specs) {
      if (value.isEmpty()) {
        throw EngineException.invalidArgument("volumes-from specification cannot be an empty string");
      }
      int colon = value.indexOf(':');
      String name = colon < 0 ? value : value.substring(0, colon);
      String mode = colon < 0 ? "rw" : value.substring(colon + 1);
      if (mode.isEmpty() || !MODES.containsAll(List.of(mode.split(","))) || (mode.contains("ro") && mode.contains("rw"))) {
        throw EngineException.invalidArgument("invalid mode: " + mode);
      }
      boolean forceReadOnly = List.of(mode.split(",")).contains("ro");
      ContainerRecord from = find.apply(name);
      Spec spec = spec(containers.bundle(from.id()).resolve("config.json"));
      if (spec == null || spec.mounts() == null) {
        continue;
      }
      for (Spec.Mount m : spec.mounts()) {
        if (!"bind".equals(m.type()) || m.destination().equals(InitBinary.CONTAINER_PATH)) {
          continue;
        }
        List<String> options = m.optionsOrEmpty();
        boolean readOnly = forceReadOnly || options.contains("ro");
        String propagation = options.stream().filter(o -> o.endsWith("private") || o.endsWith("shared")
            || o.endsWith("slave")).findFirst().orElse(null);
        String volume = volumeName(volumes, m.source());
        out.add(volume != null
            ? new MountsFactory.Planned("volume", volume, m.destination(), readOnly, false, false, false, null)
            : new MountsFactory.Planned("bind", m.source(), m.destination(), readOnly, false, false, false,
                propagation));
      }
    }
    return out;
  }

  private static Spec spec(Path config) {
    try {
      return new ObjectMapper().readValue(config.toFile(), Spec.class);
    } catch (IOException e) {
      return null; // a container being created or removed: nothing mounted to share
    }
  }

  /** The volume whose data directory is {@code source}, or null for a host path. */
  private static String volumeName(VolumeStore volumes, String source) {
    Path p = Path.of(source);
    if (p.getParent() != null && p.getFileName().toString().equals("_data")
        && volumes.root().equals(p.getParent().getParent())) {
      return p.getParent().getFileName().toString();
    }
    return null;
  }
}
