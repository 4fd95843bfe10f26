package org.jocker.images.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jocker.images.layer.FileSystemCalls;
import org.jocker.kernel.Errno;
import org.junit.jupiter.api.Test;

/**
 * {@link OverlaySnapshotterTest} again, as on the kernels users run before Linux 6.8 (Debian 12,
 * Ubuntu 22.04, RHEL 9), whose overlay refuses "lowerdir+": long option lists are mounted with
 * paths relative to the snapshots directory instead.
 */
class OverlaySnapshotterBeforeLowerdirPlusTest extends OverlaySnapshotterTest {
  private final LowerdirPlusRefused refused = new LowerdirPlusRefused(Errno.EINVAL);

  @Override
  FileSystemCalls calls() {
    return refused;
  }

  @Test
  void longOptionsAreMountedFromTheSnapshotsDirectoryAndTheJvmStaysWhereItWas() throws IOException {
    Path cwd = Files.readSymbolicLink(Path.of("/proc/self/cwd"));
    Mount mount = snapshotter.prepare("container", manyLayers(150));
    Path rootfs = mounts.mount(mount, sandbox.resolve("rootfs"));
    assertThat(refused.relativeTo()).containsExactly(sandbox.resolve("root/snapshots"));
    assertThat(rootfs.resolve("layer0")).hasContent("0");
    assertThat(rootfs.resolve("top")).hasContent("149");
    assertThat(Files.readSymbolicLink(Path.of("/proc/self/cwd"))).isEqualTo(cwd);
  }
}
