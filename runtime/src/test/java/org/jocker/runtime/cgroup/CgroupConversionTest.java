package org.jocker.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.Test;

class CgroupConversionTest {
  @Test
  void sharesToWeightAsRunc() {
    assertThat(V2Cpu.weight(2)).isEqualTo(1);
    assertThat(V2Cpu.weight(1024)).isEqualTo(39);
    assertThat(V2Cpu.weight(262144)).isEqualTo(10000);
  }

  @Test
  void ociSwapIsMemoryPlusSwapButV2SwapMaxIsSwapOnly() {
    assertThat(V2Memory.swapOnly(300, 100)).isEqualTo(200);
    assertThat(V2Memory.swapOnly(100, 100)).isZero();
    assertThat(V2Memory.swapOnly(-1, 100)).isEqualTo(-1);
    assertThat(V2Memory.swapOnly(0, -1)).isEqualTo(-1);
    assertThat(V2Memory.swapOnly(0, 100)).isZero();
    assertThatThrownBy(() -> V2Memory.swapOnly(50, 100)).hasMessageContaining("at least");
    assertThatThrownBy(() -> V2Memory.swapOnly(50, 0)).hasMessageContaining("needs a memory limit");
  }

  @Test
  void blkioWeightToIoWeight() {
    assertThat(V2Io.ioWeight(10)).isEqualTo(1);
    assertThat(V2Io.ioWeight(1000)).isEqualTo(10000);
  }

  @Test
  void blkioThrottlesBecomeOneIoMaxLinePerDevice() {
    Spec.BlockIo io = new Spec.BlockIo(null, null, null,
        List.of(new Spec.ThrottleDevice(8, 0, 1048576), new Spec.ThrottleDevice(8, 16, 0)),
        List.of(new Spec.ThrottleDevice(8, 0, 2097152)),
        null,
        List.of(new Spec.ThrottleDevice(8, 16, 100)));

    // v1's rate 0 ("no limit") is cgroup2's "max": io.max refuses 0
    assertThat(V2Io.ioMax(io)).containsExactly("8:0 rbps=1048576 wbps=2097152", "8:16 rbps=max wiops=100");
    assertThat(V2Io.ioMax(new Spec.BlockIo(500, null))).isEmpty();
  }

  @Test
  void deviceRuleLines() {
    assertThat(V1Devices.line(new Spec.DeviceRule(true, "c", 1L, 3L, "rwm"))).isEqualTo("c 1:3 rwm");
    assertThat(V1Devices.line(new Spec.DeviceRule(false, null, null, null, null)))
        .isEqualTo("a *:* rwm");
    assertThat(V1Devices.line(new Spec.DeviceRule(true, "b", 8L, null, "r"))).isEqualTo("b 8:* r");
    assertThatThrownBy(() -> V1Devices.line(new Spec.DeviceRule(true, "x", 1L, 1L, "r")))
        .hasMessageContaining("\"x\"");
  }
}
