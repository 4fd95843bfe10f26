package org.jocker.engine.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.jocker.engine.EngineException;
import org.jocker.kernel.Durable;
import org.jocker.kernel.LockFile;

/**
 * The addresses of one network's subnet, one per container, kept on disk as the CNI host-local
 * plugin keeps them: {@code ipam/NETWORK/ADDRESS} holds "ID\r\nIFNAME", {@code last_reserved_ip.0}
 * where the next search starts. A record is written durably before its address is used, under the
 * directory's lock, so no address is ever held twice, also after a crash; the search goes round
 * from the last one reserved, so a released address is not handed out again soon.
 */
final class AddressPool {
  private static final String LAST_RESERVED = "last_reserved_ip.0";
  private static final String INTERFACE = "eth0";
  private final Path dir;
  private final Ipv4Subnet subnet;
  private final int gateway;

  private final BridgeNetwork network;

  AddressPool(Path ipamDir, BridgeNetwork network) {
    this.network = network;
    this.dir = ipamDir.resolve(network.name());
    this.subnet = Ipv4Subnet.parse(network.subnet());
    this.gateway = Ipv4Subnet.address(network.gateway());
  }

  /** The container's address: the one it already holds, or the next free one. */
  String reserve(String containerId) {
    return reserve(containerId, null);
  }

  /**
   * The container's address: the one it already holds, else {@code requested} (--ip; Docker's
   * error if another holds it), else the next free one.
   */
  String reserve(String containerId, String requested) {
    try {
      Files.createDirectories(dir);
      try (LockFile.Held lock = LockFile.lock(dir.resolve("lock"))) {
        Optional<String> held = heldBy(containerId);
        if (held.isPresent()) {
          return held.get();
        }
        if (requested != null) {
          Path record = dir.resolve(Ipv4Subnet.dotted(Ipv4Subnet.address(requested)));
          if (Files.exists(record) || Ipv4Subnet.address(requested) == gateway) {
            throw EngineException.forbidden("Address already in use");
          }
          Durable.write(record, (containerId + "\r\n" + INTERFACE).getBytes(StandardCharsets.UTF_8));
          return record.getFileName().toString();
        }
        // --ip-range: only its addresses (never the subnet's own first and last, as without it)
        Ipv4Subnet range = network.ipRange() == null ? subnet : Ipv4Subnet.parse(network.ipRange());
        int first = Math.max(subnet.network() + 1, range.network());
        int last = Math.min(subnet.last() - 1, range.last()); // the broadcast address is no host's
        int count = last - first + 1;
        int start = lastReserved().filter(a -> a >= first && a <= last).map(a -> a + 1).orElse(first);
        for (int i = 0; i < count; i++) {
          int candidate = first + Math.floorMod(start - first + i, count);
          Path record = dir.resolve(Ipv4Subnet.dotted(candidate));
          if (candidate == gateway || Files.exists(record)) {
            continue;
          }
          Durable.write(record, (containerId + "\r\n" + INTERFACE).getBytes(StandardCharsets.UTF_8));
          // Only where the next search starts: a lost or torn one starts it from the first address.
          Files.writeString(dir.resolve(LAST_RESERVED), Ipv4Subnet.dotted(candidate), StandardCharsets.UTF_8);
          return Ipv4Subnet.dotted(candidate);
        }
        throw EngineException.forbidden("no available IPv4 addresses on this network's address pools: "
            + network.name() + " (" + network.id() + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reserve an address in " + dir, e);
    }
  }

  /** Gives back every address the container holds; none is fine. */
  void release(String containerId) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (LockFile.Held lock = LockFile.lock(dir.resolve("lock"))) {
      Optional<String> held;
      while ((held = heldBy(containerId)).isPresent()) {
        Files.deleteIfExists(dir.resolve(held.get()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the address of " + containerId + " in " + dir, e);
    }
  }

  private Optional<String> heldBy(String containerId) throws IOException {
    try (DirectoryStream<Path> records = Files.newDirectoryStream(dir, "[0-9]*.[0-9]*.[0-9]*.[0-9]*")) {
      for (Path record : records) {
        if (holder(record).equals(containerId)) {
          return Optional.of(record.getFileName().toString());
        }
      }
    }
    return Optional.empty();
  }

  private static String holder(Path record) throws IOException {
    try {
      String content = Files.readString(record, StandardCharsets.UTF_8);
      int end = content.indexOf('\r') >= 0 ? content.indexOf('\r') : content.indexOf('\n');
      return (end >= 0 ? content.substring(0, end) : content).strip();
    } catch (NoSuchFileException gone) {
      return "";
    }
  }

  private Optional<Integer> lastReserved() throws IOException {
    try {
      return Optional.of(Ipv4Subnet.address(Files.readString(dir.resolve(LAST_RESERVED)).strip()));
    } catch (NoSuchFileException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
