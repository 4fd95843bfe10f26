package org.jocker.runtime.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountOptionsTest {
  @Test
  void recursiveOptionsAreAttributesNotData() {
    MountOptions o = MountOptions.parse("bind", List.of("rbind", "rro", "rnosuid", "rdev", "size=1k"));
    assertThat(o.recursive()).isEqualTo(new MountOptions.RecursiveAttributes(
        MountOptions.MOUNT_ATTR_RDONLY | MountOptions.MOUNT_ATTR_NOSUID, MountOptions.MOUNT_ATTR_NODEV));
    assertThat(o.data()).isEqualTo("size=1k");
    assertThat(o.flags() & MountOptions.MS_RDONLY).isZero();
  }

  @Test
  void aRecursiveAtimeModeClearsTheAtimeField() {
    MountOptions o = MountOptions.parse("tmpfs", List.of("rnoatime"));
    assertThat(o.recursive()).isEqualTo(new MountOptions.RecursiveAttributes(
        MountOptions.MOUNT_ATTR_NOATIME, MountOptions.MOUNT_ATTR_ATIME_MASK));
    assertThat(MountOptions.parse("tmpfs", List.of("ro")).recursive().any()).isFalse();
  }
}
