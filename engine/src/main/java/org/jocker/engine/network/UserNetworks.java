package org.jocker.engine.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.Names;
import org.jocker.kernel.Durable;
import org.jocker.kernel.FileTrees;

/**
 * User-defined networks of the bridge driver (`network create/ls/inspect/rm`): one record each in
 * {@code network/networks/NAME.json}, a Linux bridge br-ID12 made with the network's rules at the
 * first start of a container on it ({@link BridgeDriver}), removed with the network.
 */
public final class UserNetworks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  private final Path dir;
  private final Path ipamDir;
  private final Supplier<Optional<BridgeNetwork>> defaultBridge;

  UserNetworks(Path dir, Path ipamDir, Supplier<Optional<BridgeNetwork>> defaultBridge) {
    this.dir = dir;
    this.ipamDir = ipamDir;
    this.defaultBridge = defaultBridge;
  }

  /** `network create [--subnet CIDR] [--gateway IP] NAME`, Docker's errors; returns the new network. */
  public BridgeNetwork create(String name, String subnet, String gateway) {
    return create(NetworkCreation.of(name, subnet, gateway));
  }

  /** `network create` with all its options, Docker's errors; returns the new network. */
  public BridgeNetwork create(NetworkCreation c) {
    String name = c.name();
    if (NetworkMode.requestedBuiltIn(name)) {
      throw EngineException.forbidden("operation is not permitted on predefined " + name + " network");
    }
    if (!NAME.matcher(name).matches()) {
      throw EngineException.invalidArgument("invalid network name \"" + name + "\"");
    }
    c.checkDriver();
    c.checkMtu();
    if (find(name).isPresent()) {
      throw EngineException.conflict("network with name " + name + " already exists");
    }
    List<Ipv4Subnet> used = new ArrayList<>(HostRoutes.read(""));
    list().forEach(n -> used.add(Ipv4Subnet.parse(n.subnet())));
    Optional<BridgeNetwork> defaultNetwork = defaultBridge.get();
    defaultNetwork.ifPresent(b -> used.add(Ipv4Subnet.parse(b.subnet())));
    Ipv4Subnet chosen;
    if (c.subnet() != null) {
      chosen = Ipv4Subnet.parse(c.subnet());
      if (used.stream().anyMatch(chosen::overlaps)) {
        throw EngineException.forbidden("invalid pool request: Pool overlaps with other one on this address space");
      }
    } else {
      chosen = BridgeChoice.firstFree(used);
    }
    if (c.ipRange() != null && (c.subnet() == null || !chosen.contains(Ipv4Subnet.parse(c.ipRange())))) {
      throw EngineException.invalidArgument("no matching subnet for range " + c.ipRange());
    }
    String gw = c.gateway() != null ? c.gateway() : chosen.firstHost();
    try {
      if ((Ipv4Subnet.address(gw) & Ipv4Subnet.mask(chosen.prefixLength())) != chosen.network()) {
        throw EngineException.invalidArgument("no matching subnet for gateway " + gw);
      }
    } catch (IllegalArgumentException e) {
      throw EngineException.invalidArgument("invalid gateway address: " + gw);
    }
    String id = Names.newId();
    String bridge = c.options().getOrDefault(NetworkCreation.BRIDGE_NAME_OPTION, "br-" + id.substring(0, 12));
    if (!bridge.matches("[a-zA-Z0-9_.-]{1,15}")) { // a Linux interface name
      throw EngineException.invalidArgument("invalid bridge name: " + bridge);
    }
    List<BridgeNetwork> others = new ArrayList<>(list());
    defaultNetwork.ifPresent(others::add);
    for (BridgeNetwork other : others) {
      if (other.bridge().equals(bridge)) {
        throw EngineException.forbidden("cannot create network " + id + " (" + bridge + "): conflicts with network "
            + other.id() + " (" + bridge + "): networks have same bridge name");
      }
    }
    BridgeNetwork network = new BridgeNetwork(name, id, bridge, chosen.toString(), gw, Instant.now().toString(),
        c.internal(), c.ipRange(), c.labels(), c.options());
    try {
      Files.createDirectories(dir);
      Durable.write(file(name), JSON.writeValueAsBytes(network));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write network " + name, e);
    }
    return network;
  }

  /** By name, full id or id prefix. */
  public Optional<BridgeNetwork> find(String nameOrId) {
    if (!NAME.matcher(nameOrId).matches()) {
      return Optional.empty(); // never a path outside the directory
    }
    Optional<BridgeNetwork> byName = read(file(nameOrId));
    if (byName.isPresent()) {
      return byName;
    }
    List<BridgeNetwork> byId = list().stream().filter(n -> n.id().startsWith(nameOrId)).toList();
    return byId.size() == 1 ? Optional.of(byId.get(0)) : Optional.empty();
  }

  public BridgeNetwork get(String nameOrId) {
    return find(nameOrId).orElseThrow(() -> EngineException.notFound("network " + nameOrId + " not found"));
  }

  /** Oldest first. */
  public List<BridgeNetwork> list() {
    List<BridgeNetwork> all = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return all;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.json")) {
      files.forEach(f -> read(f).ifPresent(all::add));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    all.sort(Comparator.comparing(BridgeNetwork::created));
    return all;
  }

  /**
   * `network rm`: refused while a container has an endpoint on it (Docker's words); removes the
   * network's rules, its Linux bridge, its IPAM directory and its record.
   */
  void remove(BridgeNetwork network, boolean inUse) {
    if (inUse) {
      throw EngineException.forbidden("error while removing network: network " + network.name() + " id "
          + network.id() + " has active endpoints");
    }
    new BridgeDriver(ipamDir).removeBridge(network);
    try {
      FileTrees.delete(ipamDir.resolve(network.name()));
      Files.deleteIfExists(file(network.name()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove network " + network.name(), e);
    }
  }

  private Optional<BridgeNetwork> read(Path f) {
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(f), BridgeNetwork.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  private Path file(String name) {
    return dir.resolve(name + ".json");
  }
}
