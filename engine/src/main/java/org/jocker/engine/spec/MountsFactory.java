package org.jocker.engine.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig;
import org.jocker.engine.volume.Volume;
import org.jocker.engine.volume.VolumeStore;
import org.jocker.images.manifest.ImageConfig;
import org.jocker.kernel.Descriptor;
import org.jocker.kernel.Errno;
import org.jocker.kernel.FileTrees;
import org.jocker.kernel.InRoot;
import org.jocker.kernel.KernelException;
import org.jocker.kernel.OpenFlags;
import org.jocker.runtime.spec.Spec;

/**
 * A container's own mounts by Docker's rules: -v binds and volumes, --mount, --tmpfs, and an
 * anonymous volume for each of the image's Volumes that the user did not mount over.
 * {@link #plan} checks the options and names the volumes (so they can be recorded before anything
 * exists); {@link #apply} creates volumes and missing -v directories, fills a new, empty volume
 * from the image's content at its path, and returns the spec's mounts.
 */
public final class MountsFactory {
  private static final Set<String> MODES = Set.of("ro", "rw", "z", "Z", "nocopy", "private", "rprivate",
      "shared", "rshared", "slave", "rslave");

  /** One mount: kind bind (source a host path), volume (source a name) or tmpfs (source options). */
  record Planned(String kind, String source, String target, boolean readOnly, boolean anonymous,
      boolean createSource, boolean copyImage, String propagation) {}

  private final List<Planned> planned;
  private final VolumeStore volumes;

  private MountsFactory(List<Planned> planned, VolumeStore volumes) {
    this.planned = planned;
    this.volumes = volumes;
  }

  /**
   * Checks the whole HostConfig (mounts here, the rest with {@link SpecFactory#check}), so that bad
   * options fail before a container exists, as Docker's create does.
   */
  public static MountsFactory plan(HostConfig hc, ImageConfig.ContainerConfig image, VolumeStore volumes) {
    return plan(hc, image, volumes, List.of());
  }

  /**
   * @param inherited the mounts of --volumes-from ({@link VolumesFrom}): the container's own mounts
   *     at the same paths win, and they win over the image's volumes
   */
  public static MountsFactory plan(HostConfig hc, ImageConfig.ContainerConfig image, VolumeStore volumes,
      List<Planned> inherited) {
    SpecFactory.check(hc);
    List<Planned> out = new ArrayList<>();
    for (String bind : hc.binds()) {
      out.add(parseBind(bind));
    }
    for (HostConfig.MountSpec m : hc.mounts()) {
      out.add(fromMount(m));
    }
    hc.tmpfs().forEach((target, opts) -> out.add(new Planned("tmpfs", opts, clean(target), false, false, false,
        false, null)));
    Set<String> targets = new java.util.HashSet<>();
    for (Planned p : out) {
      if (p.target().equals("/")) {
        throw EngineException.invalidArgument("invalid specification: destination can't be '/'");
      }
      if (!targets.add(p.target())) {
        throw EngineException.invalidArgument("Duplicate mount point: " + p.target());
      }
    }
    for (Planned p : inherited) {
      if (targets.add(p.target())) {
        out.add(p);
      }
    }
    if (image != null && image.volumes() != null) {
      for (String path : new TreeSet<>(image.volumes().keySet())) {
        String target = clean(path);
        if (targets.add(target)) {
          out.add(new Planned("volume", randomName(), target, false, true, false, true, null));
        }
      }
    }
    for (Planned p : out) {
      if (p.kind().equals("bind") && !p.createSource() && !Files.exists(Path.of(p.source()))) {
        throw EngineException.invalidArgument("invalid mount config for type \"bind\": bind source path does not exist: "
            + p.source());
      }
    }
    out.sort(Comparator.comparingInt(p -> depth(p.target())));
    return new MountsFactory(out, volumes);
  }

  /** The names of the volumes this container mounts. */
  public List<String> volumeNames() {
    Set<String> names = new LinkedHashSet<>();
    planned.stream().filter(p -> p.kind().equals("volume")).forEach(p -> names.add(p.source()));
    return List.copyOf(names);
  }

  /** Creates what the mounts need and returns them; {@code rootfs} is the container's mounted root. */
  public List<Spec.Mount> apply(Path rootfs) {
    List<Spec.Mount> mounts = new ArrayList<>();
    for (Planned p : planned) {
      switch (p.kind()) {
        case "bind" -> {
          Path source = Path.of(p.source());
          if (!Files.exists(source)) {
            if (!p.createSource()) {
              throw EngineException.invalidArgument("invalid mount config for type \"bind\": bind source path does not exist: "
                  + p.source());
            }
            try {
              Files.createDirectories(source);
            } catch (IOException e) {
              throw EngineException.internal(e, "error while creating mount source path '" + p.source() + "': "
                  + e.getMessage());
            }
          }
          mounts.add(bindMount(p, p.source()));
        }
        case "volume" -> {
          Volume v = volumes.create(p.source(), p.anonymous() ? Map.of(Volume.ANONYMOUS, "") : Map.of());
          Path data = Path.of(v.mountpoint());
          if (p.copyImage()) {
            populate(rootfs, p.target(), data);
          }
          mounts.add(bindMount(p, data.toString()));
        }
        default -> {
          List<String> options = new ArrayList<>(List.of("nosuid", "nodev", "noexec"));
          if (!p.source().isEmpty()) {
            options.addAll(List.of(p.source().split(",")));
          }
          mounts.add(new Spec.Mount(p.target(), "tmpfs", "tmpfs", options, null, null));
        }
      }
    }
    return mounts;
  }

  private static Spec.Mount bindMount(Planned p, String source) {
    return new Spec.Mount(p.target(), "bind", source, List.of("rbind", p.readOnly() ? "ro" : "rw",
        p.propagation() != null ? p.propagation() : "rprivate"), null, null);
  }

  /** -v [SOURCE:]TARGET[:MODE] as Docker's Linux parser reads it. */
  static Planned parseBind(String spec) {
    String[] parts = spec.split(":", -1);
    String source = null;
    String target;
    String mode = "";
    switch (parts.length) {
      case 1 -> target = parts[0];
      case 2 -> {
        if (validMode(parts[1])) {
          target = parts[0];
          mode = parts[1];
        } else {
          source = parts[0];
          target = parts[1];
        }
      }
      case 3 -> {
        source = parts[0];
        target = parts[1];
        mode = parts[2];
      }
      default -> throw EngineException.invalidArgument("invalid volume specification: '" + spec + "'");
    }
    if (source != null && source.isEmpty() || target.isEmpty()) {
      throw EngineException.invalidArgument("invalid volume specification: '" + spec + "'");
    }
    if (!mode.isEmpty() && !validMode(mode)) {
      throw EngineException.invalidArgument("invalid mode: " + mode);
    }
    boolean bind = source != null && source.startsWith("/");
    if (!target.startsWith("/")) {
      throw EngineException.invalidArgument("invalid volume specification: '" + spec
          + "': invalid mount config for type \""
          + (bind ? "bind" : "volume") + "\": invalid mount path: '" + target + "' mount path must be absolute");
    }
    List<String> modes = mode.isEmpty() ? List.of() : List.of(mode.split(","));
    boolean ro = modes.contains("ro");
    String propagation = modes.stream().filter(m -> m.endsWith("private") || m.endsWith("shared")
        || m.endsWith("slave")).findFirst().orElse(null);
    if (bind) {
      return new Planned("bind", clean(source), clean(target), ro, false, true, false, propagation);
    }
    if (source == null) {
      return new Planned("volume", randomName(), clean(target), ro, true, false, !modes.contains("nocopy"), null);
    }
    VolumeStore.checkName(source);
    return new Planned("volume", source, clean(target), ro, false, false, !modes.contains("nocopy"), null);
  }

  private static boolean validMode(String mode) {
    if (mode.isEmpty()) {
      return false;
    }
    for (String m : mode.split(",")) {
      if (!MODES.contains(m)) {
        return false;
      }
    }
    return !(mode.contains("ro") && mode.contains("rw"));
  }

  private static Planned fromMount(HostConfig.MountSpec m) {
    String type = m.type();
    String source = m.source() == null ? "" : m.source();
    if (!m.target().startsWith("/")) {
      throw EngineException.invalidArgument("invalid mount config for type \"" + type + "\": invalid mount path: '"
          + m.target() + "' mount path must be absolute");
    }
    String target = clean(m.target());
    return switch (type) {
      case "bind" -> {
        if (source.isEmpty()) {
          throw EngineException.invalidArgument("invalid mount config for type \"bind\": field Source must not be empty");
        }
        if (!source.startsWith("/")) {
          throw EngineException.invalidArgument("invalid mount config for type \"bind\": invalid mount path: '" + source
              + "' mount path must be absolute");
        }
        yield new Planned("bind", clean(source), target, m.readOnly(), false, false, false, null);
      }
      case "volume" -> {
        if (source.isEmpty()) {
          yield new Planned("volume", randomName(), target, m.readOnly(), true, false, !m.noCopy(), null);
        }
        VolumeStore.checkName(source);
        yield new Planned("volume", source, target, m.readOnly(), false, false, !m.noCopy(), null);
      }
      default -> {
        if (!source.isEmpty()) {
          throw EngineException.invalidArgument("invalid mount config for type \"tmpfs\": field Source must not be specified");
        }
        List<String> opts = new ArrayList<>();
        if (m.tmpfsSize() != null) {
          opts.add("size=" + m.tmpfsSize());
        }
        if (m.tmpfsMode() != null) {
          opts.add("mode=" + Integer.toOctalString(m.tmpfsMode()));
        }
        if (m.readOnly()) {
          opts.add("ro");
        }
        yield new Planned("tmpfs", String.join(",", opts), target, m.readOnly(), false, false, false, null);
      }
    };
  }

  /**
   * Docker's copy-up: a volume that is empty gets the image's files at its path (owners, modes,
   * links kept). The path is resolved inside the rootfs ({@link InRoot}), so the image's symlinks
   * cannot point it at the host, and `cp` copies from the resolved directory's descriptor, so no
   * name is looked up again on the way there. The files are copied into a directory beside the
   * volume's data, which no container sees, and then renamed into it: a container already using
   * the volume may plant a symlink at a name being copied (to a host file), and `cp` would write
   * through it; a rename replaces a link, never follows it.
   */
  private static void populate(Path rootfs, String target, Path data) {
    try (Descriptor root = Descriptor.open(rootfs, OpenFlags.O_PATH | OpenFlags.O_DIRECTORY);
        Descriptor source = imageDirectory(root, target)) {
      if (source != null) {
        copyUp(source.pathForChildren(), target, data);
      }
    } catch (KernelException e) {
      throw EngineException.internal(e, "cannot copy the image's " + target + " into its volume: " + e.getMessage());
    }
  }

  /** The image's directory at {@code target}; null if it has none there (missing, a file, a link loop). */
  private static Descriptor imageDirectory(Descriptor root, String target) {
    try {
      return InRoot.of(root).open(target, OpenFlags.O_PATH | OpenFlags.O_DIRECTORY);
    } catch (KernelException e) {
      if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR || e.errno() == Errno.ELOOP) {
        return null;
      }
      throw e;
    }
  }

  private static void copyUp(Path source, String target, Path data) {
    try (Stream<Path> entries = Files.list(data)) {
      if (entries.findAny().isPresent()) {
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path staging = data.resolveSibling("copy-up");
    try {
      deleteTree(staging); // a killed copy-up's
      Files.createDirectory(staging);
      Process cp = new ProcessBuilder("cp", "-a", "--", source + "/.", staging + "/")
          .redirectErrorStream(true).start();
      String out = new String(cp.getInputStream().readAllBytes());
      if (cp.waitFor() != 0) {
        throw EngineException.internal("cannot copy the image's " + target + " into its volume: " + out.strip());
      }
      List<Path> copied;
      try (Stream<Path> entries = Files.list(staging)) {
        copied = entries.toList();
      }
      for (Path entry : copied) {
        Files.move(entry, data.resolve(entry.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
      }
      PosixFileAttributes a = Files.readAttributes(staging, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(data, "unix:uid", Files.getAttribute(staging, "unix:uid", LinkOption.NOFOLLOW_LINKS));
      Files.setAttribute(data, "unix:gid", Files.getAttribute(staging, "unix:gid", LinkOption.NOFOLLOW_LINKS));
      Files.setPosixFilePermissions(data, a.permissions());
      Files.setLastModifiedTime(data, a.lastModifiedTime());
    } catch (IOException e) {
      throw EngineException.internal(e, "cannot copy the image's " + target + " into its volume: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw EngineException.internal(e, "interrupted");
    } finally {
      deleteTree(staging);
    }
  }

  /** Removes a directory tree of the engine's own (links are removed, not followed). */
  private static void deleteTree(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String clean(String path) {
    String p = Path.of(path).normalize().toString();
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private static int depth(String path) {
    return (int) path.chars().filter(ch -> ch == '/').count();
  }

  private static String randomName() {
    byte[] b = new byte[32];
    new java.security.SecureRandom().nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

}
