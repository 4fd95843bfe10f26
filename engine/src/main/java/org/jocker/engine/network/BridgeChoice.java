package org.jocker.engine.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocker.engine.EngineException;
import org.jocker.kernel.Durable;

/**
 * Which bridge and subnet the default network uses: --bip if given, else the one chosen on first
 * use and kept in {@code network/bridge.json} (so addresses already handed out stay in it), else
 * the first of Docker's default pools (172.17–31.0.0/16, then 192.168.0–240.0/20) that overlaps no
 * route of the host other than the bridge's own.
 */
final class BridgeChoice {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  BridgeChoice(Path file) {
    this.file = file;
  }

  /** @param taken subnets of other networks (user-defined ones), never chosen */
  BridgeNetwork resolve(BridgeOptions options, List<Ipv4Subnet> taken) {
    BridgeNetwork kept = load();
    if (kept != null && (!options.named() || kept.bridge().equals(options.name()))
        && (options.bip() == null || matches(kept, options.bip()))) {
      return kept;
    }
    BridgeNetwork chosen = options.bip() != null ? fromBip(options.name(), options.bip())
        : fromPools(options.name(), taken);
    try {
      Files.createDirectories(file.getParent());
      Durable.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(chosen));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return chosen;
  }

  /** --bip 172.18.0.1/16: that subnet with that gateway (a bare subnet: its first address). */
  private static BridgeNetwork fromBip(String bridge, String bip) {
    Ipv4Subnet subnet = Ipv4Subnet.parse(bip);
    String address = bip.substring(0, bip.indexOf('/'));
    String gateway = Ipv4Subnet.address(address) == subnet.network() ? subnet.firstHost() : address;
    return BridgeNetwork.defaultOn(bridge, subnet.toString(), gateway);
  }

  private static BridgeNetwork fromPools(String bridge, List<Ipv4Subnet> taken) {
    List<Ipv4Subnet> used = new ArrayList<>(HostRoutes.read(bridge));
    used.addAll(taken);
    Ipv4Subnet subnet = firstFree(used);
    return BridgeNetwork.defaultOn(bridge, subnet.toString(), subnet.firstHost());
  }

  private static boolean matches(BridgeNetwork kept, String bip) {
    BridgeNetwork asked = fromBip(kept.bridge(), bip);
    return asked.equals(kept);
  }

  /** The default bridge if a container ever used it. */
  java.util.Optional<BridgeNetwork> kept() {
    return java.util.Optional.ofNullable(load());
  }

  private BridgeNetwork load() {
    try {
      return JSON.readValue(Files.readAllBytes(file), BridgeNetwork.class);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static Ipv4Subnet firstFree(List<Ipv4Subnet> routes) {
    List<Ipv4Subnet> pools = new ArrayList<>();
    for (int b = 17; b <= 31; b++) {
      pools.add(Ipv4Subnet.parse("172." + b + ".0.0/16"));
    }
    for (int c = 0; c <= 240; c += 16) {
      pools.add(Ipv4Subnet.parse("192.168." + c + ".0/20"));
    }
    for (Ipv4Subnet pool : pools) {
      if (routes.stream().noneMatch(pool::overlaps)) {
        return pool;
      }
    }
    throw EngineException.internal("could not find an available, non-overlapping IPv4 address pool among"
        + " the defaults to assign to the network");
  }
}
