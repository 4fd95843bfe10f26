package org.jocker.engine.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig;
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
    return create(id, image, options, rootfs, List.of());
  }

  /**
   * @param mounts the container's own mounts ({@link MountsFactory#apply}); one at the path of a
   *     default mount (/dev/shm) replaces it
   */
  public static Spec create(String id, ImageConfig.ContainerConfig image, RunOptions options, Path rootfs,
      List<Spec.Mount> mounts) {
    ImageConfig.ContainerConfig img = image != null ? image
        : new ImageConfig.ContainerConfig(null, null, null, null, null, null, null, null, null, null);
    HostConfig hc = options.hostConfig();
    List<String> args = hc.init() ? InitBinary.wrap(args(img, options)) : args(img, options);
    String hostname = options.hostname() != null ? options.hostname() : id.substring(0, 12);
    UserResolver.ResolvedUser user = new UserResolver(rootfs)
        .resolve(options.user() != null ? options.user() : img.user());
    List<String> env = env(img, options, hostname, user.home());
    String cwd = ProcessSpecs.workdir(options.workdir() != null && !options.workdir().isEmpty() ? options.workdir()
        : img.workingDir() != null && !img.workingDir().isEmpty() ? img.workingDir() : "/");
    Spec base = DefaultSpec.create(args, false);
    Spec.Process p = base.process();
    List<String> caps = Security.capabilities(hc);
    Spec.Capabilities capabilities = new Spec.Capabilities(caps, caps, null, caps, null);
    Spec.Process process = new Spec.Process(options.tty(), null, ProcessSpecs.user(user), args, env, cwd, capabilities, Security.rlimits(p.rlimits(), hc), Security.noNewPrivileges(hc), null, null,
        null);
    Spec.Linux l = base.linux();
    Spec.Seccomp seccomp = Security.seccomp(hc, caps);
    Devices.Resolved devices = Devices.resolve(hc.devices());
    List<Spec.Device> nodes = new ArrayList<>(hc.privileged() ? Security.hostDevices() : List.of());
    nodes.addAll(devices.nodes());
    Spec.Resources resources = Security.resources(l.resources(), hc);
    List<Spec.DeviceRule> rules = new ArrayList<>(resources.devices() == null ? List.of() : resources.devices());
    rules.addAll(devices.rules());
    resources = new Spec.Resources(rules, resources.memory(), resources.cpu(), resources.pids(),
        resources.blockIO(), resources.unified());
    // No cgroupsPath: the runtime places it at /jocker/ID and owns the /jocker parent.
    Spec.Linux linux = new Spec.Linux(l.namespaces(), null, null, nodes.isEmpty() ? null : nodes, null, resources,
        null, seccomp, null, hc.privileged() ? null : l.maskedPaths(), hc.privileged() ? null : l.readonlyPaths(),
        null);
    List<Spec.Mount> own = new ArrayList<>(mounts);
    if (hc.init()) {
      own.add(InitBinary.mount());
    }
    Map<String, String> annotations = new java.util.TreeMap<>();
    if (img.labels() != null) {
      annotations.putAll(img.labels());
    }
    annotations.putAll(hc.labels());
    return new Spec(base.ociVersion(), process, new Spec.Root(rootfs.toString(), hc.readonlyRootfs()), hostname,
        null, mounts(base.mounts(), own, hc), null, annotations, linux);
  }

  /**
   * Docker's default mounts (rw /sys and cgroups when privileged, /dev/shm of --shm-size), without
   * those the user replaced, then the user's.
   */
  private static List<Spec.Mount> mounts(List<Spec.Mount> defaults, List<Spec.Mount> own, HostConfig hc) {
    boolean privileged = hc.privileged();
    java.util.Set<String> replaced = new java.util.HashSet<>();
    own.forEach(m -> replaced.add(m.destination()));
    List<Spec.Mount> out = new ArrayList<>();
    for (Spec.Mount m : defaults) {
      if (replaced.contains(m.destination())) {
        continue;
      }
      if (privileged && (m.type().equals("sysfs") || m.type().equals("cgroup"))) {
        List<String> opts = new ArrayList<>(m.optionsOrEmpty());
        opts.remove("ro");
        opts.add("rw");
        m = new Spec.Mount(m.destination(), m.type(), m.source(), opts, null, null);
      }
      if (m.destination().equals("/dev/shm") && hc.shmSize() != null && hc.shmSize() > 0) {
        List<String> opts = new ArrayList<>(m.optionsOrEmpty().stream().filter(o -> !o.startsWith("size=")).toList());
        opts.add("size=" + hc.shmSize());
        m = new Spec.Mount(m.destination(), m.type(), m.source(), opts, null, null);
      }
      out.add(m);
    }
    out.addAll(own);
    return out;
  }

  /** Fails (an invalid argument) on options that {@link #create} would refuse: capabilities, security options, ulimits, limits. */
  public static void check(HostConfig hc) {
    List<String> caps = Security.capabilities(hc);
    Security.seccomp(hc, caps);
    Security.noNewPrivileges(hc);
    Security.rlimits(List.of(), hc);
    Security.resources(new Spec.Resources(null, null, null, null, null, null), hc);
    if (hc.stopSignal() != null && org.jocker.runtime.linux.Signal.parse(hc.stopSignal()).isEmpty()) {
      throw EngineException.invalidArgument("invalid signal: " + hc.stopSignal());
    }
    if (hc.stopTimeout() != null && hc.stopTimeout() < -1) {
      throw EngineException.invalidArgument("invalid stop timeout: " + hc.stopTimeout());
    }
    if (hc.shmSize() != null && hc.shmSize() < 0) {
      throw EngineException.invalidArgument("SHM size can not be less than 0");
    }
    Devices.resolve(hc.devices());
    if (hc.init()) {
      InitBinary.locate();
    }
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
      throw EngineException.invalidArgument("No command specified");
    }
    return args;
  }

  /** The image's env, PATH if it has none, HOSTNAME and HOME, then -e entries, later ones winning. */
  static List<String> env(ImageConfig.ContainerConfig img, RunOptions options, String hostname, String home) {
    return ProcessSpecs.environment()
        .set("PATH", DefaultSpec.PATH)
        .set("HOSTNAME", hostname)
        .add(img.env() != null ? img.env() : List.of())
        .addOptions(options.env())
        .setIfAbsent("HOME", home)
        .terminal(options.tty())
        .entries();
  }
}
