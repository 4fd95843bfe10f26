package org.jocker.runtime.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jocker.runtime.linux.Rlimit;
import org.jocker.runtime.spec.DefaultSpec;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad config.json input fails with one line naming the field; no root needed. */
class SpecValidatorTest {
  @TempDir Path bundle;
  private final SpecValidator validator = new SpecValidator(new SpecValidator.RlimitCeiling() {
    @Override
    public long hardLimit(Rlimit r) {
      return r == Rlimit.RLIMIT_NOFILE ? 20000 : -1;
    }

    @Override
    public boolean canRaise() {
      return false;
    }
  });

  @BeforeEach
  void rootfs() throws Exception {
    Files.createDirectories(bundle.resolve("rootfs"));
  }

  private Spec spec() {
    return DefaultSpec.create(List.of("sh"), false);
  }

  private static Spec withProcess(Spec s, UnaryOperator<Spec.Process> edit) {
    return new Spec(s.ociVersion(), edit.apply(s.process()), s.root(), s.hostname(), s.domainname(),
        s.mounts(), s.hooks(), s.annotations(), s.linux());
  }

  private static Spec withLinux(Spec s, Spec.Linux l) {
    return new Spec(s.ociVersion(), s.process(), s.root(), s.hostname(), s.domainname(), s.mounts(),
        s.hooks(), s.annotations(), l);
  }

  private static Spec.Linux namespaces(Spec.Linux l, List<Spec.Namespace> ns) {
    return new Spec.Linux(ns, l.uidMappings(), l.gidMappings(), l.devices(), l.cgroupsPath(), l.resources(),
        l.rootfsPropagation(), l.seccomp(), l.sysctl(), l.maskedPaths(), l.readonlyPaths(), l.mountLabel());
  }

  private void rejects(Spec s, String message) {
    assertThatThrownBy(() -> validator.validate(s, bundle)).isInstanceOf(InvalidSpecException.class)
        .hasMessage(message);
  }

  @Test
  void acceptsTheDefaultAndOciVersions10To13() {
    for (String v : List.of("1.0.0", "1.0.2-dev", "1.1.0", "1.2.1", "1.3.0")) {
      Spec s = spec();
      Spec versioned = new Spec(v, s.process(), s.root(), s.hostname(), null, s.mounts(), null, null, s.linux());
      assertThat(validator.validate(versioned, bundle)).isEqualTo(bundle.resolve("rootfs"));
    }
  }

  @Test
  void rejectsWithTheFieldNamed() {
    Spec s = spec();
    rejects(new Spec("2.0.0", s.process(), s.root(), s.hostname(), null, s.mounts(), null, null, s.linux()),
        "config.json: ociVersion: unsupported version \"2.0.0\" (1.0.x to 1.3.x are supported)");
    rejects(new Spec("1.2.0", s.process(), new Spec.Root("nope", false), s.hostname(), null, s.mounts(), null, null, s.linux()),
        "config.json: root.path: " + bundle.resolve("nope") + " does not exist or is not a directory");
    rejects(withProcess(s, p -> new Spec.Process(false, null, null, List.of(), null, "/", null, null, null, null, null, null)),
        "config.json: process.args: must name a program");
    rejects(withProcess(s, p -> new Spec.Process(false, null, null, List.of("sh"), null, "relative", null, null, null, null, null, null)),
        "config.json: process.cwd: must be an absolute path, got \"relative\"");
    rejects(withProcess(s, p -> new Spec.Process(false, null, null, List.of("sh"), null, "/",
        new Spec.Capabilities(List.of("CAP_FLY"), null, null, null, null), null, null, null, null, null)),
        "config.json: process.capabilities: unknown capability \"CAP_FLY\"");
    rejects(withProcess(s, p -> new Spec.Process(false, null, null, List.of("sh"), null, "/", null,
        List.of(new Spec.Rlimit("RLIMIT_NOFILE", 30000, 30000)), null, null, null, null)),
        "config.json: process.rlimits[0]: RLIMIT_NOFILE: hard limit 30000 is above this host's limit 20000"
            + " (raising it needs CAP_SYS_RESOURCE)");
    rejects(withProcess(s, p -> new Spec.Process(false, null, null, List.of("sh"), null, "/", null,
        List.of(new Spec.Rlimit("RLIMIT_BOGUS", 1, 1)), null, null, null, null)),
        "config.json: process.rlimits[0].type: unknown rlimit \"RLIMIT_BOGUS\"");
  }

  @Test
  void rejectsBadNamespacesAndMappings() {
    Spec s = spec();
    List<Spec.Namespace> ns = new ArrayList<>(s.linux().namespaces());
    ns.add(new Spec.Namespace("bogus", null));
    rejects(withLinux(s, namespaces(s.linux(), ns)),
        "config.json: linux.namespaces[6].type: unknown namespace type \"bogus\"");
    List<Spec.Namespace> missingPath = new ArrayList<>(s.linux().namespaces());
    missingPath.set(1, new Spec.Namespace("network", "/run/netns/does-not-exist"));
    rejects(withLinux(s, namespaces(s.linux(), missingPath)),
        "config.json: linux.namespaces[1].path: /run/netns/does-not-exist does not exist");
    List<Spec.Namespace> user = new ArrayList<>(s.linux().namespaces());
    user.add(new Spec.Namespace("user", null));
    Spec.Linux l = s.linux();
    rejects(withLinux(s, new Spec.Linux(user, List.of(new Spec.IdMapping(0, 1000, 0)),
        List.of(new Spec.IdMapping(0, 1000, 1)), null, null, null, null, null, null, null, null, null)),
        "config.json: linux.uidMappings[0]: invalid mapping 0 1000 0");
    rejects(withLinux(s, namespaces(l, user)),
        "config.json: linux.uidMappings: a new user namespace needs uid and gid mappings");
  }

  /** Without a mount namespace the host's is shared: what would have to be mounted there is refused. */
  @Test
  void withoutAMountNamespaceNothingIsToBeMounted() {
    Spec s = spec();
    Spec.Linux l = s.linux();
    List<Spec.Namespace> noMount = l.namespaces().stream().filter(n -> !n.type().equals("mount")).toList();
    rejects(withLinux(s, namespaces(l, noMount)),
        "config.json: linux.maskedPaths: unable to restrict sys entries without a private MNT namespace");
    Spec.Linux bare = new Spec.Linux(noMount, null, null, null, null, null, null, null, null, null, null, null);
    rejects(withLinux(s, bare), "config.json: mounts: need a mount namespace"
        + " (without one they would be made in the host's and stay there)");
    Spec unmounted = new Spec(s.ociVersion(), s.process(), new Spec.Root("rootfs", false), null, null, List.of(),
        null, null, bare);
    assertThat(validator.validate(unmounted, bundle)).isEqualTo(bundle.resolve("rootfs"));
    rejects(new Spec(s.ociVersion(), s.process(), new Spec.Root("rootfs", true), null, null, List.of(), null, null,
        bare), "config.json: root.readonly: needs a mount namespace (the root is made read-only by a mount of its own)");
    rejects(new Spec(s.ociVersion(), s.process(), new Spec.Root("rootfs", false), null, null, List.of(), null, null,
        new Spec.Linux(noMount, null, null, List.of(new Spec.Device("p", "/dev/f", 0L, 0L, 0600, 0L, 0L)), null,
            null, null, null, null, null, null, null)),
        "config.json: linux.devices: need a mount namespace (the container's /dev is made in it)");
  }

  @Test
  void namespacesByPath() throws Exception {
    Spec s = spec();
    Spec.Linux l = s.linux();
    String path = Files.createFile(bundle.resolve("ns")).toString();
    List<Spec.Namespace> joined = new ArrayList<>(l.namespaces().stream().filter(n -> !n.type().equals("uts")).toList());
    joined.add(new Spec.Namespace("uts", path));
    joined.add(new Spec.Namespace("time", path));
    assertThat(validator.validate(withLinux(s, namespaces(l, joined)), bundle)).isEqualTo(bundle.resolve("rootfs"));

    List<Spec.Namespace> newTime = new ArrayList<>(l.namespaces());
    newTime.add(new Spec.Namespace("time", null));
    rejects(withLinux(s, namespaces(l, newTime)),
        "config.json: linux.namespaces[6].type: a new time namespace is not supported (join one by path)");
    List<Spec.Namespace> twice = new ArrayList<>(l.namespaces());
    twice.add(new Spec.Namespace("network", path));
    rejects(withLinux(s, namespaces(l, twice)), "config.json: linux.namespaces[6].type: malformed spec file: duplicated ns \"network\" (each namespace type may be listed once)");

    List<Spec.Namespace> mountAndNewUser = new ArrayList<>(l.namespaces().stream().filter(n -> !n.type().equals("mount")).toList());
    mountAndNewUser.add(new Spec.Namespace("mount", path));
    mountAndNewUser.add(new Spec.Namespace("user", null));
    List<Spec.IdMapping> map = List.of(new Spec.IdMapping(0, 100000, 65536));
    rejects(withLinux(s, new Spec.Linux(mountAndNewUser, map, map, null, null, null, null, null, null, null, null, null)),
        "config.json: linux.namespaces: a mount namespace joined by path cannot be set up from a new user namespace"
            + " (the mount namespace belongs to another one)");

    List<Spec.Namespace> noUts = l.namespaces().stream().filter(n -> !n.type().equals("uts")).toList();
    rejects(withLinux(s, namespaces(l, noUts)),
        "config.json: hostname: unable to set hostname without a private UTS namespace");
    rejects(new Spec(s.ociVersion(), s.process(), s.root(), null, "example.org", s.mounts(), null, null,
        namespaces(l, noUts)), "config.json: domainname: unable to set domainname without a private UTS namespace");
  }
}
