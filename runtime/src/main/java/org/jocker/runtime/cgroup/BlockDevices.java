package org.jocker.runtime.cgroup;

import java.util.List;
import org.jocker.runtime.spec.Spec;

/** What v1 blkio and cgroup2 io share about linux.resources.blockIO's per-device lists. */
final class BlockDevices {
  private BlockDevices() {}

  /** "MAJ:MIN" as {major, minor}; null if it is not one. */
  static int[] parseId(String id) {
    String[] parts = id.split(":", 2);
    try {
      return parts.length == 2 ? new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])} : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The device as the kernel's blkio and io files name it: "MAJ:MIN". */
  static String id(long major, long minor) {
    return major + ":" + minor;
  }

  static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  static boolean anyDeviceSetting(Spec.BlockIo io) {
    return !orEmpty(io.weightDevice()).isEmpty() || anyThrottle(io);
  }

  static boolean anyThrottle(Spec.BlockIo io) {
    return !orEmpty(io.throttleReadBpsDevice()).isEmpty() || !orEmpty(io.throttleWriteBpsDevice()).isEmpty()
        || !orEmpty(io.throttleReadIOPSDevice()).isEmpty() || !orEmpty(io.throttleWriteIOPSDevice()).isEmpty();
  }
}
