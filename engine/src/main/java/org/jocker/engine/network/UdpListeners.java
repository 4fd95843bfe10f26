package org.jocker.engine.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The UDP sockets bound in the caller's network namespace ({@code /proc/net/udp}): which address
 * has a socket on a port, and the socket's inode, so a caller can tell a socket bound again (a
 * server that reloaded) from the one it saw before.
 */
final class UdpListeners {
  private UdpListeners() {}

  /** Socket inodes bound to {@code port}, by IPv4 address (dotted). */
  static Map<String, Set<Long>> on(int port) {
    Map<String, Set<Long>> out = new HashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/net/udp")).stream().skip(1).toList()) {
        String[] f = line.trim().split("\\s+");
        String[] local = f[1].split(":");
        if (Integer.parseInt(local[1], 16) != port) {
          continue;
        }
        // The address is the kernel's 32-bit value printed in host (little-endian) order.
        String address = Ipv4Subnet.dotted(Integer.reverseBytes(Integer.parseUnsignedInt(local[0], 16)));
        out.computeIfAbsent(address, a -> new HashSet<>()).add(Long.parseLong(f[9]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/net/udp", e);
    }
    return out;
  }
}
