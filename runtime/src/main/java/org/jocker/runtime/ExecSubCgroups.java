package org.jocker.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * runc's {@code exec --cgroup}: the exec'd process joins a sub-cgroup of the container's instead of
 * its top one. {@code PATH} alone (given once) applies to every hierarchy; {@code CTRL[,CTRL]:PATH}
 * to the hierarchies of those controllers. The sub-cgroup must exist (the container made it) and
 * stay inside the container's: ".." or an absolute path climbing out is refused, "/" is the top.
 */
final class ExecSubCgroups {
  private ExecSubCgroups() {}

  /** The container's directories by hierarchy name ("memory", "cpu,cpuacct", "unified"), moved down. */
  static Map<String, Path> resolve(Map<String, Path> dirs, List<String> subCgroups) {
    if (subCgroups.isEmpty()) {
      return dirs;
    }
    Map<String, Path> result = new LinkedHashMap<>(dirs);
    for (String arg : subCgroups) {
      String[] parts = arg.split(":", -1);
      if (parts.length > 2) {
        throw new OciRuntimeException("invalid --cgroup argument: " + arg);
      }
      if (parts.length == 1) {
        if (subCgroups.size() != 1) {
          throw new OciRuntimeException("invalid --cgroup argument: " + arg + " (missing <controller>: prefix)");
        }
        dirs.forEach((name, dir) -> result.put(name, below(dir, arg)));
        continue;
      }
      for (String controller : parts[0].split(",")) {
        List<String> names = dirs.keySet().stream()
            .filter(name -> List.of(name.split(",")).contains(controller)).toList();
        if (names.isEmpty()) {
          throw new OciRuntimeException("unknown controller " + controller + " in --cgroup " + arg);
        }
        names.forEach(name -> result.put(name, below(dirs.get(name), parts[1])));
      }
    }
    result.values().forEach(ExecSubCgroups::mustExist);
    return result;
  }

  private static Path below(Path top, String sub) {
    Path joined = top.resolve(sub.replaceFirst("^/+", "")).normalize();
    if (!joined.startsWith(top)) {
      throw new OciRuntimeException("--cgroup: " + sub + " is not a sub cgroup path");
    }
    return joined;
  }

  /** Checked here, with runc's words, rather than by the launcher once the process exists. */
  private static void mustExist(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new OciRuntimeException("cannot join cgroup: adding pid to " + dir.resolve("cgroup.procs")
          + ": no such file or directory");
    }
  }
}
