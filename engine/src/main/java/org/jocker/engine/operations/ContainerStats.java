package org.jocker.engine.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jocker.runtime.cgroup.CgroupStats;

/**
 * One line of `stats`: CPU % over an interval (100% = one CPU busy, as Docker counts), memory use
 * and limit (the host's memory when unlimited), pids. Network and block I/O are not accounted yet.
 */
public record ContainerStats(String id, String name, double cpuPercent, long memoryUsage, long memoryLimit,
    double memoryPercent, long netRx, long netTx, long blockRead, long blockWrite, long pids) {

  /** From two samples {@code wallNanos} apart. */
  public static ContainerStats of(String id, String name, CgroupStats first, CgroupStats second, long wallNanos) {
    return of(id, name, first, second, wallNanos, new long[2]);
  }

  /** @param blockIo bytes read and written, from {@link #blockIo} */
  public static ContainerStats of(String id, String name, CgroupStats first, CgroupStats second, long wallNanos,
      long[] blockIo) {
    double cpu = 0;
    if (first != null && wallNanos > 0) {
      long delta = second.cpu().usageNanos() - first.cpu().usageNanos();
      cpu = Math.max(0, delta) * 100.0 / wallNanos;
    }
    long limit = second.memory().limit();
    long host = hostMemory();
    if (limit <= 0 || limit >= CgroupStats.UNLIMITED / 2 || (host > 0 && limit > host)) {
      limit = host;
    }
    long usage = second.memory().usage();
    double memPercent = limit > 0 ? usage * 100.0 / limit : 0;
    return new ContainerStats(id, name, cpu, usage, limit, memPercent, 0, 0, blockIo[0], blockIo[1],
        second.pids().current());
  }

  /**
   * Bytes read and written by the cgroup's processes: v1 blkio.throttle.io_service_bytes_recursive
   * ("MAJ:MIN Read N"), or cgroup2 io.stat ("MAJ:MIN rbytes=N wbytes=N ...").
   */
  public static long[] blockIo(java.util.Map<String, Path> cgroupDirs) {
    long[] rw = new long[2];
    for (var e : cgroupDirs.entrySet()) {
      try {
        if (e.getKey().equals("unified")) {
          Path stat = e.getValue().resolve("io.stat");
          if (Files.exists(stat)) {
            for (String line : Files.readAllLines(stat)) {
              for (String field : line.split(" ")) {
                if (field.startsWith("rbytes=")) {
                  rw[0] += Long.parseLong(field.substring(7));
                } else if (field.startsWith("wbytes=")) {
                  rw[1] += Long.parseLong(field.substring(7));
                }
              }
            }
          }
        } else if (java.util.List.of(e.getKey().split(",")).contains("blkio")) {
          Path stat = e.getValue().resolve("blkio.throttle.io_service_bytes_recursive");
          if (Files.exists(stat)) {
            for (String line : Files.readAllLines(stat)) {
              String[] f = line.trim().split("\\s+");
              if (f.length == 3 && f[1].equals("Read")) {
                rw[0] += Long.parseLong(f[2]);
              } else if (f.length == 3 && f[1].equals("Write")) {
                rw[1] += Long.parseLong(f[2]);
              }
            }
          }
        }
      } catch (IOException | RuntimeException ex) {
        // the container went away: what was read so far
      }
    }
    return rw;
  }

  static long hostMemory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return 0;
  }
}
