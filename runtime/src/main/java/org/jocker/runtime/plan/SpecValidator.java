package org.jocker.runtime.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jocker.runtime.linux.Capability;
import org.jocker.runtime.linux.NamespaceType;
import org.jocker.runtime.linux.Rlimit;
import org.jocker.runtime.spec.Spec;

/**
 * Checks a config.json before anything is created, so that bad input fails with one line naming
 * the field and leaves nothing behind.
 */
public final class SpecValidator {
  /** ociVersion 1.0.x to 1.3.x, with an optional pre-release suffix ("1.0.2-dev"). */
  private static final Pattern SUPPORTED_VERSION = Pattern.compile("1\\.[0-3]\\.\\d+(-[\\w.]+)?");

  private final RlimitCeiling ceiling;

  /** What this process may set rlimits to: its own hard limits, unless it has CAP_SYS_RESOURCE. */
  public interface RlimitCeiling {
    long hardLimit(Rlimit r);

    boolean canRaise();
  }

  public SpecValidator(RlimitCeiling ceiling) {
    this.ceiling = ceiling;
  }

  /** Validates the spec; returns the absolute rootfs path. */
  public Path validate(Spec spec, Path bundle) {
    if (spec.ociVersion() == null || !SUPPORTED_VERSION.matcher(spec.ociVersion()).matches()) {
      throw new InvalidSpecException("ociVersion", "unsupported version \"" + spec.ociVersion()
          + "\" (1.0.x to 1.3.x are supported)");
    }
    Path rootfs = rootfs(spec, bundle);
    process(spec.process());
    Namespaces namespaces = namespaces(spec.linux());
    if (namespaces.joined().contains(NamespaceType.MOUNT) && namespaces.created().contains(NamespaceType.USER)) {
      throw new InvalidSpecException("linux.namespaces", "a mount namespace joined by path cannot be set up"
          + " from a new user namespace (the mount namespace belongs to another one)");
    }
    if (!namespaces.has(NamespaceType.MOUNT)) {
      withoutMountNamespace(spec);
    }
    // runc's words: without one, the host's name would change
    if (spec.hostname() != null && !spec.hostname().isEmpty() && !namespaces.has(NamespaceType.UTS)) {
      throw new InvalidSpecException("hostname", "unable to set hostname without a private UTS namespace");
    }
    if (spec.domainname() != null && !spec.domainname().isEmpty() && !namespaces.has(NamespaceType.UTS)) {
      throw new InvalidSpecException("domainname", "unable to set domainname without a private UTS namespace");
    }
    mappings(spec.linux(), namespaces.created().contains(NamespaceType.USER));
    mounts(spec.mountsOrEmpty());
    if (spec.linux() != null && spec.linux().rootfsPropagation() != null
        && !spec.linux().rootfsPropagation().isEmpty()
        && !MountOptions.PROPAGATION.containsKey(spec.linux().rootfsPropagation())) {
      throw new InvalidSpecException("linux.rootfsPropagation",
          "unknown propagation \"" + spec.linux().rootfsPropagation() + "\"");
    }
    devices(spec.linux());
    return rootfs;
  }

  private static Path rootfs(Spec spec, Path bundle) {
    if (spec.root() == null || spec.root().path() == null || spec.root().path().isEmpty()) {
      throw new InvalidSpecException("root.path", "missing");
    }
    Path rootfs = bundle.resolve(spec.root().path()).toAbsolutePath().normalize();
    if (!Files.isDirectory(rootfs)) {
      throw new InvalidSpecException("root.path", rootfs + " does not exist or is not a directory");
    }
    return rootfs;
  }

  /** Checks a process on its own (for exec). */
  public void validateProcess(Spec.Process p) {
    process(p);
  }

  private void process(Spec.Process p) {
    if (p == null) {
      throw new InvalidSpecException("process", "missing");
    }
    if (p.args() == null || p.args().isEmpty() || p.args().get(0).isEmpty()) {
      throw new InvalidSpecException("process.args", "must name a program");
    }
    if (p.cwd() == null || !p.cwd().startsWith("/")) {
      throw new InvalidSpecException("process.cwd", "must be an absolute path, got \"" + p.cwd() + "\"");
    }
    for (String e : p.envOrEmpty()) {
      if (!e.contains("=")) {
        throw new InvalidSpecException("process.env", "\"" + e + "\" is not NAME=VALUE");
      }
    }
    List<Spec.Rlimit> rlimits = p.rlimits() == null ? List.of() : p.rlimits();
    for (int i = 0; i < rlimits.size(); i++) {
      rlimit("process.rlimits[" + i + "]", rlimits.get(i));
    }
    if (p.capabilities() != null) {
      Spec.Capabilities c = p.capabilities();
      for (List<String> set : List.of(nn(c.bounding()), nn(c.effective()), nn(c.permitted()),
          nn(c.inheritable()), nn(c.ambient()))) {
        for (String name : set) {
          if (Capability.parse(name).isEmpty()) {
            throw new InvalidSpecException("process.capabilities", "unknown capability \"" + name + "\"");
          }
        }
      }
    }
    if (p.isTerminal() && p.consoleSize() != null
        && (p.consoleSize().height() < 0 || p.consoleSize().width() < 0)) {
      throw new InvalidSpecException("process.consoleSize", "must not be negative");
    }
  }

  private void rlimit(String field, Spec.Rlimit r) {
    Rlimit type = Rlimit.parse(r.type())
        .orElseThrow(() -> new InvalidSpecException(field + ".type", "unknown rlimit \"" + r.type() + "\""));
    if (Long.compareUnsigned(r.soft(), r.hard()) > 0) {
      throw new InvalidSpecException(field, r.type() + ": soft limit " + r.soft()
          + " is above the hard limit " + r.hard());
    }
    long max = ceiling.hardLimit(type);
    if (!ceiling.canRaise() && max != -1 && Long.compareUnsigned(r.hard(), max) > 0) {
      throw new InvalidSpecException(field, r.type() + ": hard limit " + Long.toUnsignedString(r.hard())
          + " is above this host's limit " + max + " (raising it needs CAP_SYS_RESOURCE)");
    }
  }

  /** The namespace types a container creates and those it joins by path. */
  private record Namespaces(Set<NamespaceType> created, Set<NamespaceType> joined) {
    boolean has(NamespaceType type) {
      return created.contains(type) || joined.contains(type);
    }
  }

  private static Namespaces namespaces(Spec.Linux linux) {
    Set<NamespaceType> created = EnumSet.noneOf(NamespaceType.class);
    Set<NamespaceType> joined = EnumSet.noneOf(NamespaceType.class);
    List<Spec.Namespace> list = linux == null || linux.namespaces() == null ? List.of() : linux.namespaces();
    for (int i = 0; i < list.size(); i++) {
      Spec.Namespace ns = list.get(i);
      String field = "linux.namespaces[" + i + "]";
      NamespaceType type = NamespaceType.fromSpecName(ns.type()).orElseThrow(
          () -> new InvalidSpecException(field + ".type", "unknown namespace type \"" + ns.type() + "\""));
      if (created.contains(type) || joined.contains(type)) {
        throw new InvalidSpecException(field + ".type", "malformed spec file: duplicated ns \""
            + ns.type() + "\" (each namespace type may be listed once)");
      }
      if (ns.path() == null || ns.path().isEmpty()) {
        if (type == NamespaceType.TIME) {
          throw new InvalidSpecException(field + ".type", "a new time namespace is not supported (join one by path)");
        }
        created.add(type);
      } else if (!Files.exists(Path.of(ns.path()))) {
        throw new InvalidSpecException(field + ".path", ns.path() + " does not exist");
      } else {
        joined.add(type);
      }
    }
    return new Namespaces(created, joined);
  }

  /**
   * Without a mount namespace of its own the container shares the host's: its init only changes
   * its root. What needs mounts is refused rather than done on the host, where it would stay.
   */
  private static void withoutMountNamespace(Spec spec) {
    Spec.Linux linux = spec.linux();
    if (linux != null && !nn(linux.maskedPaths()).isEmpty()) {
      throw new InvalidSpecException("linux.maskedPaths", "unable to restrict sys entries without a private MNT namespace");
    }
    if (linux != null && !nn(linux.readonlyPaths()).isEmpty()) {
      throw new InvalidSpecException("linux.readonlyPaths", "unable to restrict sys entries without a private MNT namespace");
    }
    if (!spec.mountsOrEmpty().isEmpty()) {
      throw new InvalidSpecException("mounts",
          "need a mount namespace (without one they would be made in the host's and stay there)");
    }
    if (linux != null && linux.devices() != null && !linux.devices().isEmpty()) {
      throw new InvalidSpecException("linux.devices", "need a mount namespace (the container's /dev is made in it)");
    }
    if (linux != null && linux.rootfsPropagation() != null && !linux.rootfsPropagation().isEmpty()) {
      throw new InvalidSpecException("linux.rootfsPropagation",
          "needs a mount namespace (it is the propagation of the container's own root mount)");
    }
    if (spec.root().isReadonly()) {
      throw new InvalidSpecException("root.readonly",
          "needs a mount namespace (the root is made read-only by a mount of its own)");
    }
  }

  private static void mappings(Spec.Linux linux, boolean newUserNs) {
    if (linux == null) {
      return;
    }
    boolean hasMaps = linux.uidMappings() != null && !linux.uidMappings().isEmpty();
    if (newUserNs && (!hasMaps || linux.gidMappings() == null || linux.gidMappings().isEmpty())) {
      throw new InvalidSpecException("linux.uidMappings", "a new user namespace needs uid and gid mappings");
    }
    if (!newUserNs && hasMaps) {
      throw new InvalidSpecException("linux.uidMappings", "mappings need a new user namespace");
    }
    checkMappings("linux.uidMappings", linux.uidMappings());
    checkMappings("linux.gidMappings", linux.gidMappings());
  }

  private static void checkMappings(String field, List<Spec.IdMapping> maps) {
    for (int i = 0; maps != null && i < maps.size(); i++) {
      Spec.IdMapping m = maps.get(i);
      if (m.size() <= 0 || m.containerID() < 0 || m.hostID() < 0
          || m.containerID() + m.size() > 0x1_0000_0000L || m.hostID() + m.size() > 0x1_0000_0000L) {
        throw new InvalidSpecException(field + "[" + i + "]", "invalid mapping " + m.containerID()
            + " " + m.hostID() + " " + m.size());
      }
    }
  }

  private static void mounts(List<Spec.Mount> mounts) {
    for (int i = 0; i < mounts.size(); i++) {
      Spec.Mount m = mounts.get(i);
      String field = "mounts[" + i + "]";
      if (m.destination() == null || !m.destination().startsWith("/")) {
        throw new InvalidSpecException(field + ".destination", "must be an absolute path, got \""
            + m.destination() + "\"");
      }
      MountOptions o = MountOptions.parse(m.type(), m.optionsOrEmpty());
      if (!o.bind() && (m.type() == null || m.type().isEmpty())) {
        throw new InvalidSpecException(field + ".type", "missing (only bind mounts may omit it)");
      }
    }
  }

  private static void devices(Spec.Linux linux) {
    if (linux == null || linux.devices() == null) {
      return;
    }
    for (int i = 0; i < linux.devices().size(); i++) {
      Spec.Device d = linux.devices().get(i);
      String field = "linux.devices[" + i + "]";
      if (d.path() == null || !d.path().startsWith("/dev/")) {
        throw new InvalidSpecException(field + ".path", "must be under /dev, got \"" + d.path() + "\"");
      }
      if (d.type() == null || !Set.of("c", "b", "u", "p").contains(d.type())) {
        throw new InvalidSpecException(field + ".type", "must be c, b, u or p, got \"" + d.type() + "\"");
      }
    }
  }

  private static List<String> nn(List<String> l) {
    return l == null ? List.of() : l;
  }
}
