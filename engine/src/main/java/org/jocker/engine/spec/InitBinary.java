package org.jocker.engine.spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocker.engine.EngineException;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.spec.Spec;

/**
 * `--init`, as Docker does it with tini: jocker-init (launcher/src/main/init) is bind-mounted
 * read-only at /sbin/docker-init and runs the command as its child, so the command is not PID 1:
 * zombies are reaped and signals have their default effect.
 */
public final class InitBinary {
  /** Where Docker puts its init in the container. */
  public static final String CONTAINER_PATH = "/sbin/docker-init";

  private InitBinary() {}

  /** -Djocker.init, else jocker-init next to the launcher binary (both are built by launcher/Makefile). */
  public static Path locate() {
    String prop = System.getProperty("jocker.init");
    Path p = prop != null ? Path.of(prop) : ContainerRuntime.launcherBinary().resolveSibling("jocker-init");
    if (!Files.isExecutable(p)) {
      throw EngineException.internal("init binary not found at " + p
          + " (build it with mvn package, or set -Djocker.init)");
    }
    return p;
  }

  /** The container's arguments run by the init: /sbin/docker-init -- ARGS. */
  static List<String> wrap(List<String> args) {
    List<String> out = new ArrayList<>(List.of(CONTAINER_PATH, "--"));
    out.addAll(args);
    return out;
  }

  /** The command without the init in front (for inspect's Path and Args). */
  public static List<String> unwrap(List<String> args) {
    if (args.size() >= 2 && args.get(0).equals(CONTAINER_PATH) && args.get(1).equals("--")) {
      return args.subList(2, args.size());
    }
    return args;
  }

  static Spec.Mount mount() {
    return new Spec.Mount(CONTAINER_PATH, "bind", locate().toString(), List.of("bind", "ro"), null, null);
  }
}
