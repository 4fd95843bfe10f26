package org.jocker.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CgroupPathTest {
  private final Hierarchy memory =
      new Hierarchy(Path.of("/sys/fs/cgroup/memory"), "/", false, Set.of("memory"), "/runtime/self");

  @Test
  void emptyPathDefaultsToJockerSlashIdAndOwnsTheJockerParent() {
    CgroupPath p = CgroupPath.of(null, "abc");
    assertThat(p.components()).containsExactly("jocker", "abc");
    assertThat(p.ownedParents()).isEqualTo(1);
    assertThat(p.leafIn(memory)).isEqualTo(Path.of("/sys/fs/cgroup/memory/jocker/abc"));
    assertThat(CgroupPath.of("", "abc")).isEqualTo(p);
  }

  @Test
  void absoluteFromHierarchyRootAndRelativeFromOwnCgroupAsRunc() {
    assertThat(CgroupPath.of("/a//b/./c", "x").leafIn(memory))
        .isEqualTo(Path.of("/sys/fs/cgroup/memory/a/b/c"));
    assertThat(CgroupPath.of("a/b", "x").leafIn(memory))
        .isEqualTo(Path.of("/sys/fs/cgroup/memory/runtime/self/a/b"));
    assertThat(CgroupPath.of("/a", "x").ownedParents()).isZero();
  }

  @Test
  void rejectsSystemdFormDotDotRootAndBadIds() {
    assertThatThrownBy(() -> CgroupPath.of("system.slice:jocker:abc", "abc"))
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining("systemd");
    assertThatThrownBy(() -> CgroupPath.of("/a/../../etc", "abc"))
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining("\"..\"");
    assertThatThrownBy(() -> CgroupPath.of("/", "abc")).hasMessageContaining("root cgroup");
    for (String id : List.of("..", "a/b", "")) {
      assertThatThrownBy(() -> CgroupPath.of(null, id)).isInstanceOf(CgroupException.class);
    }
  }
}
