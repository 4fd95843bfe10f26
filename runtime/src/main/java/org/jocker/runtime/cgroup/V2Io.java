package org.jocker.runtime.cgroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.runtime.spec.Spec;

/**
 * cgroup v2 io, from OCI's v1-shaped blockIO as runc converts it: weights go to BFQ's io.bfq.weight
 * on their own 10..1000 scale where BFQ is there, else to io.weight scaled to 1..10000; the throttle
 * lists become io.max keys (rbps, wbps, riops, wiops). OCI leaf weights have no v2 equivalent and
 * are ignored, as runc does.
 */
final class V2Io implements BlockIoController {
  private static final String BFQ_WEIGHT = "io.bfq.weight";
  /** io.stat's keys by the operation names runc reports them under (the v1 names). */
  private static final Map<String, String> IO_STAT_OPS = Map.of("rbytes", "Read", "wbytes", "Write",
      "dbytes", "Discard", "rios", "Read", "wios", "Write", "dios", "Discard");

  @Override
  public String name() {
    return "io";
  }

  @Override
  public boolean requested(Spec.Resources r) {
    Spec.BlockIo io = r.blockIO();
    return io != null && (io.weight() != null || !weighted(io).isEmpty() || BlockDevices.anyThrottle(io));
  }

  @Override
  public void apply(CgroupDir dir, Spec.Resources r) {
    if (!requested(r)) {
      return;
    }
    Spec.BlockIo io = r.blockIO();
    boolean bfq = dir.has(BFQ_WEIGHT);
    if (io.weight() != null) {
      dir.write(bfq ? BFQ_WEIGHT : "io.weight", Long.toString(bfq ? io.weight() : ioWeight(io.weight())));
    }
    for (Spec.WeightDevice d : weighted(io)) {
      long weight = bfq ? d.weight() : ioWeight(d.weight());
      try {
        dir.write(bfq ? BFQ_WEIGHT : "io.weight", BlockDevices.id(d.major(), d.minor()) + " " + weight);
      } catch (CgroupException e) {
        throw new CgroupException("cgroup io: linux.resources.blockIO.weightDevice needs the BFQ scheduler"
            + " or io.cost enabled for the device: " + e.getMessage(), e);
      }
    }
    for (String line : ioMax(io)) {
      dir.write("io.max", line);
    }
  }

  /** The per-device entries that carry a weight (one with only a leaf weight asks nothing here). */
  private static List<Spec.WeightDevice> weighted(Spec.BlockIo io) {
    return BlockDevices.orEmpty(io.weightDevice()).stream().filter(d -> d.weight() != null).toList();
  }

  /**
   * One io.max line per device with all its limits, e.g. "8:0 rbps=1048576 wiops=100". A rate of 0
   * (v1's "no limit") is written as "max": cgroup2 refuses 0.
   */
  static List<String> ioMax(Spec.BlockIo io) {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    addKeys(keys, "rbps", io.throttleReadBpsDevice());
    addKeys(keys, "wbps", io.throttleWriteBpsDevice());
    addKeys(keys, "riops", io.throttleReadIOPSDevice());
    addKeys(keys, "wiops", io.throttleWriteIOPSDevice());
    List<String> lines = new ArrayList<>();
    keys.forEach((device, limits) -> lines.add(device + " " + String.join(" ", limits)));
    return lines;
  }

  private static void addKeys(Map<String, List<String>> keys, String key, List<Spec.ThrottleDevice> devices) {
    for (Spec.ThrottleDevice d : BlockDevices.orEmpty(devices)) {
      keys.computeIfAbsent(BlockDevices.id(d.major(), d.minor()), k -> new ArrayList<>())
          .add(key + "=" + (d.rate() == 0 ? "max" : Long.toString(d.rate())));
    }
  }

  /** runc's mapping of the v1 blkio weight [10, 1000] onto io.weight [1, 10000]. */
  static long ioWeight(int blkioWeight) {
    return 1 + ((long) blkioWeight - 10) * 9999 / 990;
  }

  /** io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N" per device. */
  @Override
  public CgroupStats.BlockIo stats(CgroupDir dir) {
    if (!dir.has("io.stat")) {
      return CgroupStats.BlockIo.NONE;
    }
    List<CgroupStats.BlockIoEntry> bytes = new ArrayList<>();
    List<CgroupStats.BlockIoEntry> ios = new ArrayList<>();
    for (String line : dir.read("io.stat").split("\n")) {
      String[] f = line.trim().split("\\s+");
      int[] device = BlockDevices.parseId(f[0]);
      if (device == null) {
        continue;
      }
      for (int i = 1; i < f.length; i++) {
        String[] kv = f[i].split("=", 2);
        String op = IO_STAT_OPS.get(kv[0]);
        if (op != null && kv.length == 2) {
          (kv[0].endsWith("bytes") ? bytes : ios)
              .add(new CgroupStats.BlockIoEntry(device[0], device[1], op, Long.parseLong(kv[1])));
        }
      }
    }
    return new CgroupStats.BlockIo(bytes, ios);
  }
}
