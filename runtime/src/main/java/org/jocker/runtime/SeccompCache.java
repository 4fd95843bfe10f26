package org.jocker.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jocker.runtime.seccomp.SeccompCompiler;
import org.jocker.runtime.seccomp.SeccompFilter;
import org.jocker.runtime.spec.Spec;

/**
 * The compiled filters of the last few seccomp profiles, for the whole process. Containers mostly
 * share one profile (Docker's default), so compiling it once per process is enough; the resident
 * engine makes a runtime per runtime command it serves, so the filters outlive each runtime.
 */
final class SeccompCache {
  private static final int SIZE = 4;

  private static final Map<Spec.Seccomp, SeccompFilter> FILTERS = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Spec.Seccomp, SeccompFilter> eldest) {
      return size() > SIZE;
    }
  };

  /** The filter of the spec's profile; null without one. */
  SeccompFilter filterFor(Spec spec) {
    Spec.Seccomp profile = spec.linux() == null ? null : spec.linux().seccomp();
    if (profile == null) {
      return null;
    }
    synchronized (FILTERS) {
      SeccompFilter cached = FILTERS.get(profile);
      if (cached != null) {
        return cached;
      }
    }
    SeccompFilter compiled = SeccompCompiler.compile(profile);
    synchronized (FILTERS) {
      FILTERS.put(profile, compiled);
    }
    return compiled;
  }
}
