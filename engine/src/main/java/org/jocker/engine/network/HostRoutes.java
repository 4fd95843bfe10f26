package org.jocker.engine.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The IPv4 routes of the caller's network namespace (/proc/net/route), for choosing a free subnet. */
final class HostRoutes {
  private HostRoutes() {}

  /** Every route's destination but default routes and those through {@code ownBridge}. */
  static List<Ipv4Subnet> read(String ownBridge) {
    try {
      List<Ipv4Subnet> routes = new ArrayList<>();
      List<String> lines = Files.readAllLines(Path.of("/proc/net/route"));
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 8 || f[0].equals(ownBridge)) {
          continue;
        }
        // Addresses in the kernel's byte order, printed as a little-endian hex int.
        int destination = Integer.reverseBytes(Integer.parseUnsignedInt(f[1], 16));
        int prefix = Integer.bitCount(Integer.parseUnsignedInt(f[7], 16));
        if (prefix > 0) {
          routes.add(new Ipv4Subnet(destination, prefix));
        }
      }
      return routes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the routes", e);
    }
  }
}
