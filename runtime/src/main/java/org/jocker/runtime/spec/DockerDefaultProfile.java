package org.jocker.runtime.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Docker's default seccomp profile (default ERRNO/EPERM, an allowlist, extra calls per capability),
 * kept as data in {@code docker-default.json} and resolved for one container's capabilities into
 * a spec's {@link Spec.Seccomp}: config like {@link DefaultSpec}, which the seccomp package compiles.
 */
public final class DockerDefaultProfile {
  private static final String RESOURCE = "docker-default.json";
  /** Docker matches {@code includes.arches} against Go's GOARCH; Jocker runs on x86_64 hosts. */
  private static final String NATIVE_GO_ARCH = "amd64";
  /** The same host arch by its OCI name, always first in the profile's architectures. */
  private static final String NATIVE_ARCH = "SCMP_ARCH_X86_64";

  private DockerDefaultProfile() {}

  /** Docker's default profile as it is written, before it is resolved for some capabilities. */
  public static DockerProfile profile() {
    return Holder.PROFILE;
  }

  /**
   * The profile for a container whose (bounding) capability set is {@code capabilities}, names as in
   * the OCI spec ("CAP_SYS_ADMIN").
   */
  public static Spec.Seccomp forCapabilities(Set<String> capabilities) {
    return resolve(Holder.PROFILE, capabilities);
  }

  /** Resolves any Docker-format profile the way dockerd does when it builds config.json. */
  public static Spec.Seccomp resolve(DockerProfile profile, Set<String> capabilities) {
    List<Spec.Syscall> syscalls = new ArrayList<>();
    for (DockerProfile.Rule rule : profile.syscalls()) {
      if (applies(rule, capabilities)) {
        syscalls.add(new Spec.Syscall(rule.names(), rule.action(), rule.errnoRet(), rule.args()));
      }
    }
    return new Spec.Seccomp(
        profile.defaultAction(), profile.defaultErrnoRet(), architectures(profile), null, syscalls);
  }

  private static boolean applies(DockerProfile.Rule rule, Set<String> capabilities) {
    if (rule.includes() != null) {
      List<String> arches = rule.includes().archesOrEmpty();
      if (!arches.isEmpty() && !arches.contains(NATIVE_GO_ARCH)) return false;
      if (!capabilities.containsAll(rule.includes().capsOrEmpty())) return false;
    }
    if (rule.excludes() != null) {
      if (rule.excludes().archesOrEmpty().contains(NATIVE_GO_ARCH)) return false;
      if (rule.excludes().capsOrEmpty().stream().anyMatch(capabilities::contains)) return false;
    }
    return true;
  }

  /** The native arch and its sub-arches (x86_64 also runs i386 and x32 binaries). */
  private static List<String> architectures(DockerProfile profile) {
    List<String> result = new ArrayList<>(List.of(NATIVE_ARCH));
    if (profile.archMap() == null) return result;
    for (DockerProfile.ArchMap entry : profile.archMap()) {
      if (NATIVE_ARCH.equals(entry.architecture()) && entry.subArchitectures() != null) {
        result.addAll(entry.subArchitectures());
      }
    }
    return result;
  }

  static DockerProfile load(InputStream in) throws IOException {
    return new ObjectMapper().readValue(in, DockerProfile.class);
  }

  /** Parsed once, on first use. */
  private static final class Holder {
    static final DockerProfile PROFILE = loadResource();

    private static DockerProfile loadResource() {
      try (InputStream in = DockerDefaultProfile.class.getResourceAsStream(RESOURCE)) {
        if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
        return load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }
  }
}
