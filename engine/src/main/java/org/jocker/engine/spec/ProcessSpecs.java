package org.jocker.engine.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.engine.EngineException;
import org.jocker.runtime.spec.Spec;

/**
 * What a spec's process section takes from a container's image and the user's options, the same
 * way for `run` ({@link SpecFactory}) and `exec`: the user, the working directory and the
 * environment. (The rest, its privileges, `run` takes from the HostConfig and `exec` from the
 * container's process.)
 */
public final class ProcessSpecs {
  private ProcessSpecs() {}

  /** The spec's user for one resolved from the container's /etc/passwd and /etc/group. */
  public static Spec.User user(UserResolver.ResolvedUser u) {
    return new Spec.User(u.uid(), u.gid(), null, u.additionalGids().isEmpty() ? null : u.additionalGids(), null);
  }

  /** The working directory, which must be absolute (an invalid argument, in Docker's words). */
  public static String workdir(String cwd) {
    if (!cwd.startsWith("/")) {
      throw EngineException.invalidArgument("the working directory '" + cwd
          + "' is invalid, it needs to be an absolute path");
    }
    return cwd;
  }

  /** A new, empty environment. */
  public static Environment environment() {
    return new Environment();
  }

  /** A process's environment: NAME=value entries in order, a later one replacing an earlier one of its name. */
  public static final class Environment {
    private final Map<String, String> vars = new LinkedHashMap<>();

    private Environment() {}

    /** NAME=value entries; one without a name is left out. */
    public Environment add(List<String> entries) {
      entries.forEach(this::put);
      return this;
    }

    public Environment set(String name, String value) {
      vars.put(name, value);
      return this;
    }

    /** A default: {@code name} keeps what it was given, if anything. */
    public Environment setIfAbsent(String name, String value) {
      vars.putIfAbsent(name, value);
      return this;
    }

    /** `-e` entries: NAME=value, or NAME alone for the caller's own value (left out when it has none), as Docker does. */
    public Environment addOptions(List<String> options) {
      for (String e : options) {
        if (!e.contains("=")) {
          String value = System.getenv(e);
          if (value == null) {
            continue;
          }
          e = e + "=" + value;
        }
        put(e);
      }
      return this;
    }

    /** TERM=xterm unless it is set, for a process with a terminal (as Docker sets for -t). */
    public Environment terminal(boolean tty) {
      return tty ? setIfAbsent("TERM", "xterm") : this;
    }

    public List<String> entries() {
      List<String> out = new ArrayList<>();
      vars.forEach((k, v) -> out.add(k + "=" + v));
      return out;
    }

    private void put(String entry) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        vars.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
  }
}
