package org.jocker.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocker.runtime.spec.Spec;

/** Small edits of a Spec for tests. */
final class Specs {
  private Specs() {}

  static Spec withBind(Spec s, Path source, String dest) {
    List<Spec.Mount> mounts = new ArrayList<>(s.mountsOrEmpty());
    mounts.add(new Spec.Mount(dest, "bind", source.toString(), List.of("rbind", "rw"), null, null));
    return new Spec(s.ociVersion(), s.process(), s.root(), s.hostname(), s.domainname(), mounts,
        s.hooks(), s.annotations(), s.linux());
  }
}
