package org.jocker.runtime.cgroup;

import java.util.ArrayList;
import java.util.List;
import org.jocker.runtime.spec.Spec;

/**
 * cgroup v1 blkio: weights (only CFQ or BFQ provide them; many kernels have neither file) and the
 * throttle limits, one "MAJ:MIN VALUE" line per device as runc writes them.
 */
final class V1Blkio implements BlockIoController {
  @Override
  public String name() {
    return "blkio";
  }

  @Override
  public boolean requested(Spec.Resources r) {
    Spec.BlockIo io = r.blockIO();
    return io != null && (io.weight() != null || io.leafWeight() != null || BlockDevices.anyDeviceSetting(io));
  }

  @Override
  public void apply(CgroupDir dir, Spec.Resources r) {
    Spec.BlockIo io = r.blockIO();
    if (io == null) {
      return;
    }
    if (io.weight() != null) {
      dir.write(weightFile(dir, "", io.weight()), Integer.toString(io.weight()));
    }
    if (io.leafWeight() != null) {
      dir.write("blkio.leaf_weight", Integer.toString(io.leafWeight()));
    }
    for (Spec.WeightDevice d : BlockDevices.orEmpty(io.weightDevice())) {
      if (d.weight() != null) {
        dir.write(weightFile(dir, "_device", d.weight()), BlockDevices.id(d.major(), d.minor()) + " " + d.weight());
      }
      if (d.leafWeight() != null) {
        dir.write("blkio.leaf_weight_device", BlockDevices.id(d.major(), d.minor()) + " " + d.leafWeight());
      }
    }
    throttle(dir, "blkio.throttle.read_bps_device", io.throttleReadBpsDevice());
    throttle(dir, "blkio.throttle.write_bps_device", io.throttleWriteBpsDevice());
    throttle(dir, "blkio.throttle.read_iops_device", io.throttleReadIOPSDevice());
    throttle(dir, "blkio.throttle.write_iops_device", io.throttleWriteIOPSDevice());
  }

  /** CFQ's blkio.weight[_device], else BFQ's blkio.bfq.weight[_device]; neither is an error. */
  private static String weightFile(CgroupDir dir, String suffix, int weight) {
    for (String file : List.of("blkio.weight" + suffix, "blkio.bfq.weight" + suffix)) {
      if (dir.has(file)) {
        return file;
      }
    }
    throw new CgroupException("cgroup blkio: cannot set weight " + weight + " in " + dir.path()
        + ": neither blkio.weight" + suffix + " nor blkio.bfq.weight" + suffix + " exists"
        + " (the block I/O scheduler has no weights)");
  }

  /** A rate of 0 removes the device's limit, as the kernel reads it. */
  private static void throttle(CgroupDir dir, String file, List<Spec.ThrottleDevice> devices) {
    for (Spec.ThrottleDevice d : BlockDevices.orEmpty(devices)) {
      dir.write(file, BlockDevices.id(d.major(), d.minor()) + " " + d.rate());
    }
  }

  /** The throttle layer's counters ("MAJ:MIN Op N" lines): they count every device, whatever its scheduler. */
  @Override
  public CgroupStats.BlockIo stats(CgroupDir dir) {
    return new CgroupStats.BlockIo(entries(dir, "blkio.throttle.io_service_bytes_recursive"),
        entries(dir, "blkio.throttle.io_serviced_recursive"));
  }

  private static List<CgroupStats.BlockIoEntry> entries(CgroupDir dir, String file) {
    if (!dir.has(file)) {
      return List.of();
    }
    List<CgroupStats.BlockIoEntry> entries = new ArrayList<>();
    for (String line : dir.read(file).split("\n")) {
      String[] f = line.trim().split("\\s+");
      int[] device = f.length == 3 ? BlockDevices.parseId(f[0]) : null;
      if (device != null) { // not the "Total N" line
        entries.add(new CgroupStats.BlockIoEntry(device[0], device[1], f[1], Long.parseLong(f[2])));
      }
    }
    return entries;
  }
}
