package org.jocker.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.runtime.spec.DefaultSpec;
import org.jocker.runtime.spec.Spec;

/**
 * The OCI config of a container: Docker's defaults (capabilities, seccomp, masked paths, mounts)
 * with the image's config applied and then the options of `run`, by Docker's rules.
 */
public final class SpecFactory {
  private SpecFactory() {}

  public static Spec create(String id, ImageConfig.ContainerConfig image, RunOptions options, Path rootfs) {
    ImageConfig.ContainerConfig img = image != null ? image
        : new ImageConfig.ContainerConfig(null, null, null, null, null, null, null, null, null, null);
    List<String> args = args(img, options);
    String hostname = options.hostname() != null ? options.hostname() : id.substring(0, 12);
    UserResolver.ResolvedUser user = new UserResolver(rootfs)
        .resolve(options.user() != null ? options.user() : img.user());
    List<String> env = env(img, options, hostname, user.home());
    String cwd = options.workdir() != null && !options.workdir().isEmpty() ? options.workdir()
        : img.workingDir() != null && !img.workingDir().isEmpty() ? img.workingDir() : "/";
    if (!cwd.startsWith("/")) {
      throw new EngineException("the working directory '" + cwd + "' is invalid, it needs to be an absolute path", 125);
    }
    Spec base = DefaultSpec.create(args, false);
    Spec.Process p = base.process();
    Spec.Process process = new Spec.Process(false, null,
        new Spec.User(user.uid(), user.gid(), null, user.additionalGids().isEmpty() ? null : user.additionalGids(), null),
        args, env, cwd, p.capabilities(), p.rlimits(), false, null, null, null);
    Spec.Linux l = base.linux();
    // No cgroupsPath: the runtime places it at /jocker/ID and owns the /jocker parent.
    Spec.Linux linux = new Spec.Linux(l.namespaces(), null, null, null, null, l.resources(),
        null, l.seccomp(), null, l.maskedPaths(), l.readonlyPaths(), null);
    return new Spec(base.ociVersion(), process, new Spec.Root(rootfs.toString(), false), hostname, null,
        base.mounts(), null, Map.of(), linux);
  }

  /** Entrypoint + Cmd, where a given entrypoint also drops the image's Cmd (as Docker does). */
  static List<String> args(ImageConfig.ContainerConfig img, RunOptions options) {
    List<String> entrypoint;
    List<String> cmd;
    if (options.entrypoint() != null) {
      entrypoint = options.entrypoint().isEmpty() ? List.of() : List.of(options.entrypoint());
      cmd = options.command();
    } else {
      entrypoint = img.entrypoint() == null ? List.of() : img.entrypoint();
      cmd = !options.command().isEmpty() ? options.command() : img.cmd() == null ? List.of() : img.cmd();
    }
    List<String> args = new ArrayList<>(entrypoint);
    args.addAll(cmd);
    if (args.isEmpty()) {
      throw new EngineException("No command specified", 125);
    }
    return args;
  }

  /** The image's env, PATH if it has none, HOSTNAME and HOME, then -e entries, later ones winning. */
  static List<String> env(ImageConfig.ContainerConfig img, RunOptions options, String hostname, String home) {
    Map<String, String> env = new LinkedHashMap<>();
    put(env, "PATH=" + DefaultSpec.PATH);
    put(env, "HOSTNAME=" + hostname);
    if (img.env() != null) {
      img.env().forEach(e -> put(env, e));
    }
    for (String e : options.env()) {
      if (!e.contains("=")) {
        String value = System.getenv(e); // -e NAME passes the caller's value, as Docker does
        if (value == null) {
          continue;
        }
        e = e + "=" + value;
      }
      put(env, e);
    }
    env.putIfAbsent("HOME", home);
    List<String> out = new ArrayList<>();
    env.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  private static void put(Map<String, String> env, String entry) {
    int eq = entry.indexOf('=');
    if (eq > 0) {
      env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
  }
}
