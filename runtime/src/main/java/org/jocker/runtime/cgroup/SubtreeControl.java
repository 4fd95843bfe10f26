package org.jocker.runtime.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * On cgroup2 a controller's files appear in a cgroup only once every ancestor lists it in
 * cgroup.subtree_control, so enable it from the mount down to the leaf's parent.
 */
final class SubtreeControl {
  private SubtreeControl() {}

  static void enable(Hierarchy unified, Path leaf, Set<String> wanted) {
    List<String> available = wanted.stream().filter(unified.controllers()::contains).toList();
    if (available.isEmpty()) {
      return;
    }
    List<Path> chain = new ArrayList<>();
    for (Path d = leaf.getParent(); d != null && d.startsWith(unified.mountPoint()); d = d.getParent()) {
      chain.addFirst(d);
    }
    for (Path d : chain) {
      enableIn(new CgroupDir("unified", d), available);
    }
  }

  private static void enableIn(CgroupDir dir, List<String> wanted) {
    Set<String> enabled = new HashSet<>(Arrays.asList(dir.read("cgroup.subtree_control").split("\\s+")));
    List<String> missing = wanted.stream().filter(c -> !enabled.contains(c)).toList();
    if (!missing.isEmpty()) {
      // One write for all: the kernel applies "+a +b" atomically, and the error names them all.
      dir.write("cgroup.subtree_control", String.join(" ", missing.stream().map(c -> "+" + c).toList()));
    }
  }
}
