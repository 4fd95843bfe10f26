package org.jocker.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A block device of the host that this (root) process can open, for device-access attacks: the
 * disk holding /, else another disk the kernel lists, else loop0. Some sandboxes forbid opening
 * the root disk even to root, and an attack is only shown if the same open works outside.
 */
public record HostDisk(long major, long minor) {

  /** Finds one, making its test node in {@code scratch} with busybox mknod. */
  public static HostDisk find(Path scratch) throws IOException, InterruptedException {
    List<HostDisk> candidates = new ArrayList<>();
    long dev = (Long) Files.getAttribute(Path.of("/"), "unix:dev");
    long major = (dev >>> 8 & 0xfff) | (dev >>> 32 & ~0xfffL);
    if (major != 0) { // 0: / is on an anonymous device (overlay, btrfs)
      candidates.add(new HostDisk(major, (dev & 0xff) | (dev >>> 12 & ~0xffL)));
    }
    for (String line : Files.readAllLines(Path.of("/proc/partitions"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 4 && f[0].matches("\\d+")) {
        candidates.add(new HostDisk(Long.parseLong(f[0]), Long.parseLong(f[1])));
      }
    }
    candidates.add(new HostDisk(7, 0));
    for (HostDisk d : candidates.stream().distinct().toList()) {
      Path node = scratch.resolve("hostdisk-" + d.major() + "-" + d.minor());
      Process mknod = new ProcessBuilder(TestBundle.BUSYBOX.toString(), "mknod", node.toString(), "b",
          Long.toString(d.major()), Long.toString(d.minor())).inheritIO().start();
      if (mknod.waitFor() != 0) {
        throw new IOException("busybox mknod " + node + " failed");
      }
      try (var in = Files.newInputStream(node)) {
        return d;
      } catch (IOException e) {
        // not this one
      } finally {
        Files.delete(node);
      }
    }
    throw new IOException("no host disk can be opened here (" + candidates + ")");
  }

  @Override
  public String toString() {
    return major + ":" + minor;
  }
}
