package org.jocker.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** runc's systemd cgroupsPath "slice:prefix:name": the unit and where its cgroup is. */
class SystemdScopeTest {
  @Test
  void noPathIsAJockerScopeInSystemSlice() {
    SystemdScope s = SystemdScope.of(null, "abc");
    assertThat(s.unit()).isEqualTo("jocker-abc.scope");
    assertThat(s.monitorUnit()).isEqualTo("jocker-monitor-abc.scope");
    assertThat(s.cgroupsPath()).isEqualTo("system.slice:jocker:abc");
    assertThat(s.cgroupPath().components()).containsExactly("system.slice", "jocker-abc.scope");
  }

  @Test
  void aDashedSliceNestsUnderItsParentsAndAnEmptySliceIsSystemSlice() {
    SystemdScope s = SystemdScope.of("machine-jocker-web.slice:libpod:c1", "c1");
    assertThat(s.unit()).isEqualTo("libpod-c1.scope");
    assertThat(s.cgroupPath().components())
        .isEqualTo(List.of("machine.slice", "machine-jocker.slice", "machine-jocker-web.slice", "libpod-c1.scope"));
    assertThat(SystemdScope.of(":p:n", "x").cgroupPath().components()).containsExactly("system.slice", "p-n.scope");
    assertThat(SystemdScope.of("-.slice::n", "x").cgroupPath().components()).containsExactly("n.scope");
    assertThat(SystemdScope.of("-.slice::n", "x").cgroupPath().absolute()).isTrue();
  }

  @Test
  void theRecordsFormTellsTheDriver() {
    assertThat(SystemdScope.isSystemdForm("system.slice:jocker:a")).isTrue();
    assertThat(SystemdScope.isSystemdForm("/jocker/a")).isFalse();
    assertThat(SystemdScope.isSystemdForm(null)).isFalse();
  }

  @Test
  void badPathsAreOneLineErrors() {
    assertThatThrownBy(() -> SystemdScope.of("/jocker/a", "a")).isInstanceOf(CgroupException.class)
        .hasMessageContaining("slice:prefix:name");
    assertThatThrownBy(() -> SystemdScope.of("system.slice:p:../x", "a")).isInstanceOf(CgroupException.class)
        .hasMessageContaining("cannot be part of a systemd unit name");
    assertThatThrownBy(() -> SystemdScope.of("system:p:n", "a")).isInstanceOf(CgroupException.class)
        .hasMessageContaining("is not a slice unit name");
    assertThatThrownBy(() -> SystemdScope.of("system.slice:p:n.slice", "a")).isInstanceOf(CgroupException.class)
        .hasMessageContaining("not supported");
    assertThatThrownBy(() -> SystemdScope.of("a--b.slice:p:n", "a").cgroupPath()).isInstanceOf(CgroupException.class)
        .hasMessageContaining("empty part");
  }

  @Test
  void aCpuListIsSystemdsByteMask() {
    assertThat(ScopeProperties.CpuList.mask("0", "f")).containsExactly(0x01);
    assertThat(ScopeProperties.CpuList.mask("0-3,9", "f")).containsExactly(0x0f, 0x02);
    assertThatThrownBy(() -> ScopeProperties.CpuList.mask("3-1", "linux.resources.cpu.cpus"))
        .hasMessageContaining("linux.resources.cpu.cpus");
  }
}
