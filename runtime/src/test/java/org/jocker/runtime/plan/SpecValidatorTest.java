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
    List<Spec.Namespace> noMount = s.linux().namespaces().stream().filter(n -> !n.type().equals("mount")).toList();
    rejects(withLinux(s, namespaces(s.linux(), noMount)),
        "config.json: linux.namespaces: a new mount namespace is required");
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
}
