package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.Test;

/** What of linux.resources an update applies: runc update's fields, its zeros as "keep". */
class ContainerUpdateTest {
  @Test
  void zerosAndEmptiesKeepTheCurrentValue() {
    Spec.Resources none = ContainerUpdate.updatable(new Spec.Resources(null,
        new Spec.Memory(0L, 0L, 0L, 0L, 0L, null, null),
        new Spec.Cpu(0L, 0L, 0L, 0L, 0L, "", "", null),
        new Spec.Pids(0), new Spec.BlockIo(0, null), null));
    assertThat(none).isEqualTo(new Spec.Resources(null, null, null, null, null, null));
  }

  @Test
  void keepsRuncUpdatesFieldsAndDropsTheRest() {
    Spec.Resources asked = new Spec.Resources(
        List.of(new Spec.DeviceRule(false, null, null, null, null)),
        new Spec.Memory(64L, -1L, 0L, 10L, 10L, 60L, true),
        new Spec.Cpu(512L, -1L, 0L, null, 900000L, "0", null, 1L),
        new Spec.Pids(-1), new Spec.BlockIo(500, 300), Map.of("pids.max", "9"));
    assertThat(ContainerUpdate.updatable(asked)).isEqualTo(new Spec.Resources(null,
        new Spec.Memory(64L, -1L, null, null, null, null, null),
        new Spec.Cpu(512L, -1L, null, null, 900000L, "0", null, null),
        new Spec.Pids(-1), new Spec.BlockIo(500, null), Map.of("pids.max", "9")));
  }
}
