package org.jocker.engine.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jocker.runtime.cgroup.CgroupStats;

/**
 * One line of `stats`: CPU % over an interval (100% = one CPU busy, as Docker counts), memory use
 * and limit (the host's memory when unlimited), block I/O (bytes read and written), pids. Network
 * I/O is not accounted yet.
 */
public record ContainerStats(String id, String name, double cpuPercent, long memoryUsage, long memoryLimit,
    double memoryPercent, long netRx, long netTx, long blockRead, long blockWrite, long pids) {

  /** From two samples {@code wallNanos} apart; block I/O is the second's (bytes read and written so far). */
  public static ContainerStats of(String id, String name, CgroupStats first, CgroupStats second, long wallNanos) {
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
    return new ContainerStats(id, name, cpu, usage, limit, memPercent, 0, 0, second.blockIo().bytes("Read"),
        second.blockIo().bytes("Write"), second.pids().current());
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
