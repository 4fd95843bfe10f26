package org.jocker.engine.network;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jocker.runtime.spec.Spec;

/** A container's spec with its network: the network namespace, the /etc files, the host and domain names. */
final class NetworkSpec {
  private NetworkSpec() {}

  /**
   * @param network the network namespace (empty: the host's)
   * @param etcDir the directory of the resolv.conf, hostname and hosts to bind-mount (an explicit
   *     -v on one of them wins)
   */
  static Spec with(Spec spec, Optional<Spec.Namespace> network, Path etcDir, String hostname, String domainname) {
    List<Spec.Namespace> ns = new ArrayList<>();
    for (Spec.Namespace n : spec.linux().namespaces()) {
      if (!n.type().equals("network")) {
        ns.add(n);
      }
    }
    network.ifPresent(ns::add);
    Spec.Linux l = spec.linux();
    Spec.Linux linux = new Spec.Linux(ns, l.uidMappings(), l.gidMappings(), l.devices(), l.cgroupsPath(),
        l.resources(), l.rootfsPropagation(), l.seccomp(), l.sysctl(), l.maskedPaths(), l.readonlyPaths(),
        l.mountLabel());
    List<Spec.Mount> mounts = new ArrayList<>(spec.mountsOrEmpty());
    for (String file : List.of(EtcFiles.RESOLV_CONF, EtcFiles.HOSTNAME, EtcFiles.HOSTS)) {
      String destination = "/etc/" + file;
      if (mounts.stream().noneMatch(m -> m.destination().equals(destination))) {
        mounts.add(new Spec.Mount(destination, "bind", etcDir.resolve(file).toString(),
            List.of("rbind", "rprivate"), null, null));
      }
    }
    return new Spec(spec.ociVersion(), spec.process(), spec.root(), hostname, domainname, mounts, spec.hooks(),
        spec.annotations(), linux);
  }
}
