package org.jocker.engine.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.EndpointConfig;
import org.jocker.engine.container.HostConfig;
import org.jocker.runtime.spec.Spec;

/**
 * Containers' networks: the mode chosen at create (and the spec that follows from it), the
 * bridge endpoint set up before each run and torn down after it. Everything lives under
 * {@code ROOT/network}: bridge.json (the bridge's name and subnet), ipam/ (the addresses held,
 * as host-local keeps them), netns/ (the namespaces, bind-mounted), endpoints/ (what each teardown needs).
 */
public final class ContainerNetworking {
  private final BridgeChoice bridgeChoice;
  private final NetworkNamespaces namespaces;
  private final BridgeDriver driver;
  private final PortmapPlugin portmap;
  private final EndpointStore endpoints;
  private final EtcFiles etc;
  private final UserNetworks networks;
  private final AardvarkDns dns;
  private final NetworkIsolation isolation;
  private volatile BridgeOptions options = BridgeOptions.DISABLED;
  /** Containers without a record whose endpoints are in use (a running build's RUN): never stale. */
  private volatile Predicate<String> heldByBuild = id -> false;

  public ContainerNetworking(Path dir, CniPlugins cni, EtcFiles etc) {
    this.bridgeChoice = new BridgeChoice(dir.resolve("bridge.json"));
    this.namespaces = new NetworkNamespaces(dir.resolve("netns"));
    this.isolation = new NetworkIsolation(dir.resolve("isolation.rules"));
    // A network's rules jump from FORWARD first: the isolation chains are put back before them.
    this.driver = new BridgeDriver(dir.resolve("ipam"), () -> isolation.sync(bridgeNetworks()));
    this.portmap = new PortmapPlugin(cni);
    this.endpoints = new EndpointStore(dir.resolve("endpoints"));
    this.etc = etc;
    this.dns = new AardvarkDns(dir);
    // The default bridge's subnet is chosen (and kept) before a user network's, so they never overlap.
    this.networks = new UserNetworks(dir.resolve("networks"), dir.resolve("ipam"),
        () -> Optional.of(network(BridgeNetwork.NAME)));
  }

  /** The default bridge for containers created from now on (without, they default to none). */
  public void bridgeOptions(BridgeOptions options) {
    this.options = options;
  }

  /**
   * Which containers without a record are a live build's: their endpoints are not torn down as
   * stale while it runs (it tears them down itself after each RUN).
   */
  public void heldByBuild(Predicate<String> held) {
    this.heldByBuild = held;
  }

  /** User-defined networks (`network create/ls/inspect`). */
  public UserNetworks networks() {
    return networks;
  }

  /** `network rm`: refused while a container has an endpoint on the network. */
  public void removeNetwork(String nameOrId) {
    if (NetworkMode.requestedBuiltIn(nameOrId)) {
      throw EngineException.forbidden(nameOrId + " is a pre-defined network and cannot be removed");
    }
    BridgeNetwork network = networks.get(nameOrId);
    boolean inUse = endpoints.list().stream().anyMatch(e -> e.network().name().equals(network.name()));
    if (!inUse) { // its isolation rules go first: a crash after leaves a network to remove again, never a rule alone
      isolation.syncIfWritten(bridgeNetworks().stream().filter(n -> !n.name().equals(network.name())).toList());
    }
    networks.remove(network, inUse);
  }

  /**
   * `network prune`: removes the user-defined networks the filter selects (label, label!, until)
   * on which no container has an endpoint; their names, oldest first.
   */
  public List<String> pruneNetworks(org.jocker.engine.container.ContainerFilter filter) {
    List<String> removed = new ArrayList<>();
    for (BridgeNetwork n : networks.list()) {
      boolean inUse = endpoints.list().stream().anyMatch(e -> e.network().name().equals(n.name()));
      if (!inUse && filter.matchesForPrune(n.labels(), java.time.Instant.parse(n.created()))) {
        removeNetwork(n.name());
        removed.add(n.name());
      }
    }
    return removed;
  }

  /** Every network of the bridge driver that exists: the default one once made, the user-defined ones. */
  private List<BridgeNetwork> bridgeNetworks() {
    List<BridgeNetwork> all = new ArrayList<>();
    bridgeChoice.kept().ifPresent(all::add);
    all.addAll(networks.list());
    return all;
  }

  /** The containers with an endpoint on a network (network inspect). */
  public List<Endpoint> endpointsOn(String networkName) {
    return endpoints.list().stream()
        .filter(e -> e.cniResult() != null && e.network().name().equals(networkName)).toList();
  }

  /** The default bridge as this engine's options ask (chosen and kept on first use). */
  private BridgeNetwork defaultBridge() {
    List<Ipv4Subnet> taken = networks.list().stream().map(n -> Ipv4Subnet.parse(n.subnet())).toList();
    return bridgeChoice.resolve(options.enabled() ? options : new BridgeOptions(null, null), taken);
  }

  /**
   * A bridge-driver network by name or id: the default bridge (as it is, or as it would be made)
   * or a user-defined one.
   */
  public BridgeNetwork network(String nameOrId) {
    if (nameOrId.equals(BridgeNetwork.NAME)) {
      return bridgeChoice.kept().orElseGet(this::defaultBridge);
    }
    return networks.get(nameOrId);
  }

  /**
   * At create: the network `--network` asks for (null: the default) as the container records it
   * (bridge, host, none or a user-defined network's name), with Docker's errors.
   */
  public String resolve(String requested) {
    if (requested != null && !NetworkMode.requestedBuiltIn(requested)) {
      Optional<BridgeNetwork> user = networks.find(requested);
      if (user.isPresent()) {
        return user.get().name();
      }
    }
    return NetworkMode.requested(requested, options.enabled() ? NetworkMode.BRIDGE : NetworkMode.NONE,
        options.enabled()).dockerName();
  }

  /**
   * At create: the container's spec with its network namespace (the host's, a new one, or the
   * bridge endpoint's by path) and its /etc files (written into {@code containerDir}, bind-mounted).
   */
  public Spec configure(Spec spec, String id, NetworkMode mode, Path containerDir) {
    return configure(spec, id, mode, containerDir, HostConfig.NameResolution.NONE);
  }

  /** The same with the container's --dns*, --add-host (host-gateway at start) and --domainname. */
  public Spec configure(Spec spec, String id, NetworkMode mode, Path containerDir, HostConfig.NameResolution names) {
    etc.write(containerDir, mode, spec.hostname(), names);
    // The namespace exists before the container only while it runs (made at each start, by path).
    Optional<Spec.Namespace> network = mode == NetworkMode.HOST ? Optional.empty()
        : Optional.of(new Spec.Namespace("network", namespaces.path(id).toString()));
    String domainname = names.domainname().isEmpty() ? spec.domainname() : names.domainname();
    return NetworkSpec.with(spec, network, containerDir, spec.hostname(), domainname);
  }

  /**
   * At create, for --network container:NAME: the other container's network namespace as its spec
   * names it (none for a host-mode one), its /etc files and host name, as Docker's daemon joins them.
   */
  public Spec configureJoined(Spec spec, Spec target, Path targetDir) {
    Optional<Spec.Namespace> network = target.linux().namespaces().stream()
        .filter(n -> n.type().equals("network")).findFirst();
    return NetworkSpec.with(spec, network, targetDir, target.hostname(), target.domainname());
  }

  /**
   * Before a run: for none, a namespace with lo up (as Docker's; kept until the next run or rm);
   * for bridge-driver networks, its namespace and, for each network it is connected to, the CNI
   * ADD (eth0 with the published ports and the default route, then eth1...), its first address in
   * /etc/hosts. Endpoints of containers that no longer run ({@code stale}: their teardown was
   * lost with a killed process) are torn down first, so their addresses and ports are free.
   * Under the store lock.
   */
  public void connect(String id, String name, Map<String, EndpointConfig> connected, HostConfig hc,
      Path containerDir, Predicate<String> stale) {
    if (JoinedNetwork.requested(hc.networkMode())) { // nothing of its own: the other's namespace must be there
      String target = JoinedNetwork.target(hc.networkMode());
      if (stale.test(target)) {
        throw EngineException.conflict("cannot join network of a non running container: " + target);
      }
      return;
    }
    NetworkMode mode = NetworkMode.recorded(hc.networkMode());
    disconnect(id);
    HostConfig.NameResolution names = withHostGateway(hc.nameResolution());
    if (mode == NetworkMode.NONE && hc.networkMode() != null) { // a record from before networking has no path
      namespaces.create(id);
    }
    if (mode != NetworkMode.BRIDGE) {
      if (!names.extraHosts().isEmpty()) {
        etc.writeHosts(containerDir, mode, hostname(containerDir, id), List.of(), names);
      }
      return;
    }
    List<PublishedPort> taken = new ArrayList<>();
    for (Endpoint other : endpoints.list()) {
      if (stale.test(other.containerId()) && !heldByBuild.test(other.containerId())) {
        disconnectStale(other.containerId());
      } else {
        taken.addAll(other.ports());
      }
    }
    try {
      namespaces.create(id);
      List<String> addresses = new ArrayList<>();
      for (Map.Entry<String, EndpointConfig> n : connected.entrySet()) {
        addresses.add(add(id, name, n.getKey(), n.getValue(), hc.portBindings(), taken, names.dns()).ipAddress());
      }
      etc.writeHosts(containerDir, mode, hostname(containerDir, id), addresses, names);
    } catch (RuntimeException e) {
      throw disconnectAfter(id, e);
    }
  }

  /**
   * A build's RUN container on the default bridge, as BuildKit in dockerd runs them: its namespace,
   * eth0 with an address and the default route (no ports, no names), its address in the hosts of
   * {@code etcDir}. Torn down by {@link #disconnect}. Under the store lock.
   */
  public void connectBuild(String id, Path etcDir, String hostname) {
    try {
      namespaces.create(id);
      Endpoint e = add(id, hostname, BridgeNetwork.NAME, EndpointConfig.NONE, List.of(), List.of(), List.of());
      etc.writeHosts(etcDir, NetworkMode.BRIDGE, hostname, List.of(e.ipAddress()), HostConfig.NameResolution.NONE);
    } catch (RuntimeException e) {
      throw disconnectAfter(id, e);
    }
  }

  /** A connect that failed half-way: what it made is torn down, its failure is the one reported. */
  private RuntimeException disconnectAfter(String id, RuntimeException failure) {
    try {
      disconnect(id);
    } catch (RuntimeException cleanup) {
      failure.addSuppressed(cleanup);
    }
    return failure;
  }

  /**
   * `network connect` of a running container: a new endpoint (the next free interface) in its
   * namespace, its names on the network, its address in its /etc/hosts. Under the store lock.
   */
  public void attach(String id, String name, String network, EndpointConfig config, HostConfig hc,
      Path containerDir) {
    try {
      add(id, name, network, config, List.of(), List.of(), hc.nameResolution().dns());
      rewriteHosts(id, hc, containerDir);
    } catch (RuntimeException e) {
      endpoints.of(id).stream().filter(o -> o.cniResult() == null).forEach(o -> {
        try {
          remove(o, true);
        } catch (RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
      });
      throw e;
    }
  }

  /**
   * `network disconnect` of a running container: its endpoint on that network (if any) torn down,
   * its address out of its /etc/hosts.
   */
  public void detach(String id, String network, boolean force, HostConfig hc, Path containerDir) {
    for (Endpoint e : endpoints.of(id)) {
      if (e.network().name().equals(network)) {
        try {
          remove(e, true);
        } catch (RuntimeException ex) {
          if (!force) {
            throw ex;
          }
          endpoints.remove(e); // -f: forgotten even if its DEL failed
        }
      }
    }
    rewriteHosts(id, hc, containerDir);
  }

  /** The running container's /etc/hosts with a line for each endpoint it has now, eth0 first. */
  private void rewriteHosts(String id, HostConfig hc, Path containerDir) {
    List<String> addresses = endpoints.of(id).stream()
        .sorted(Comparator.comparingInt(e -> Integer.parseInt(e.ifname().substring("eth".length()))))
        .map(Endpoint::ipAddress).toList();
    etc.rewriteHosts(containerDir, hostname(containerDir, id), addresses, withHostGateway(hc.nameResolution()));
  }

  /** One endpoint: its record first (so a crash leaves what DEL needs), the ADD, its names. */
  private Endpoint add(String id, String name, String networkName, EndpointConfig config,
      List<HostConfig.PortBinding> bindings, List<PublishedPort> taken, List<String> dnsServers) {
    BridgeNetwork network = networkName.equals(BridgeNetwork.NAME) ? defaultBridge() : networks.get(networkName);
    String asked = config.ipv4Address();
    if (asked != null && endpoints.list().stream().anyMatch(o -> !o.containerId().equals(id)
        && o.network().name().equals(network.name()) && o.ipAddress().equals(asked))) {
      throw EngineException.forbidden("Address already in use");
    }
    String ifname = freeInterface(id);
    List<PublishedPort> ports = ifname.equals(Endpoint.FIRST_INTERFACE)
        ? HostPorts.allocate(name, endpointId(id), bindings, taken) : List.of();
    Endpoint endpoint = new Endpoint(id, namespaces.path(id).toString(), network, ports, null, name, config, ifname,
        dnsServers);
    endpoints.save(endpoint); // first: a teardown after a crash from here on knows what to undo
    try {
      endpoint = endpoint.withResult(portmap.add(endpoint, driver.attach(endpoint)));
    } catch (CniException cni) {
      throw EngineException.internal(cni, "failed to set up container networking: " + cni.getMessage());
    }
    endpoints.save(endpoint);
    if (!endpoint.dnsNames().isEmpty()) {
      updateNames(null);
    }
    return endpoint;
  }

  /** The lowest ethN the container has no endpoint on. */
  private String freeInterface(String id) {
    Set<String> used = new TreeSet<>();
    endpoints.of(id).forEach(e -> used.add(e.ifname()));
    for (int i = 0; ; i++) {
      if (!used.contains("eth" + i)) {
        return "eth" + i;
      }
    }
  }

  /**
   * After a run (its exit command), at rm, before the next run: each endpoint's ports and address,
   * the namespace, the records. A container without an endpoint is fine. A DEL that fails keeps its
   * record (the next command tries again) and is reported.
   */
  public void disconnect(String id) {
    RuntimeException failed = null;
    for (Endpoint e : endpoints.of(id)) {
      try {
        remove(e, false); // its veth pair goes with the namespace
      } catch (RuntimeException ex) {
        failed = failed == null ? ex : failed;
      }
    }
    namespaces.remove(id);
    if (failed != null) {
      throw failed;
    }
  }

  /** `rename` of a running container: its endpoints, and so its DNS names, follow (as Docker's). */
  public void renamed(String id, String newName) {
    boolean named = false;
    for (Endpoint e : endpoints.of(id)) {
      endpoints.save(new Endpoint(e.containerId(), e.netns(), e.network(), e.ports(), e.cniResult(), newName,
          e.config(), e.ifname(), e.dnsServers()));
      named |= !e.dnsNames().isEmpty();
    }
    if (named) {
      updateNames(null);
    }
  }

  /**
   * The ports' DEL, the address, then the record, then its names (which go even if the DEL
   * failed). {@code deleteLink}: the veth pair too, for an endpoint leaving a namespace that stays.
   */
  private void remove(Endpoint e, boolean deleteLink) {
    boolean named = !e.dnsNames().isEmpty();
    try {
      portmap.del(e);
      driver.detach(e, deleteLink);
    } catch (CniException ex) {
      if (named) {
        updateNames(e); // its names go now, the record stays for the DEL to be tried again
      }
      throw EngineException.internal(ex, "failed to tear down container networking: " + ex.getMessage());
    }
    endpoints.remove(e);
    if (named) {
      updateNames(e);
    }
  }

  /**
   * aardvark-dns's names from the endpoints that are up ({@code without} aside): started with the
   * first, reloaded on each change, stopped with the last.
   */
  private void updateNames(Endpoint without) {
    dns.update(() -> endpoints.list().stream().filter(e -> without == null
        || !(e.containerId().equals(without.containerId()) && e.ifname().equals(without.ifname()))).toList());
  }

  /**
   * At create, for --network-alias, --ip and --mac-address: Docker's errors for a network that is
   * not user-defined (a MAC address is taken on the default bridge too, and ignored with none, as
   * by Docker), an alias aardvark's files cannot hold, an address outside the subnet.
   */
  public void checkEndpointConfig(String network, EndpointConfig config) {
    if (config.macAddress() != null && network.equals(NetworkMode.HOST.dockerName())) {
      throw EngineException.invalidArgument("conflicting options: mac-address and the network mode");
    }
    if (NetworkMode.requestedBuiltIn(network)) {
      if (!config.aliases().isEmpty()) {
        throw EngineException.invalidArgument(
            "network-scoped alias is supported only for containers in user defined networks");
      }
      if (config.ipv4Address() != null) {
        throw EngineException.invalidArgument("user specified IP address is supported on user defined networks only");
      }
      return;
    }
    for (String alias : config.aliases()) {
      if (!alias.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
        throw EngineException.invalidArgument("invalid network alias \"" + alias + "\"");
      }
    }
    String ip = config.ipv4Address();
    if (ip != null) {
      Ipv4Subnet subnet = Ipv4Subnet.parse(networks.get(network).subnet());
      int address;
      try {
        address = Ipv4Subnet.address(ip);
      } catch (IllegalArgumentException e) {
        throw EngineException.invalidArgument("invalid IPv4 address: " + ip);
      }
      if (!new Ipv4Subnet(address, subnet.prefixLength()).equals(subnet)) {
        throw EngineException.invalidArgument("Invalid address " + ip + ": It does not belong to any of this network's"
            + " subnets");
      }
    }
  }

  /**
   * At create, on a user-defined network: the container's resolv.conf names the network's DNS
   * server (aardvark-dns on the gateway) instead of the host's, as Docker's names 127.0.0.11.
   */
  public void useNetworkDns(String network, Path containerDir) {
    if (!NetworkMode.requestedBuiltIn(network)) {
      etc.pointAt(containerDir, networks.get(network).gateway());
    }
  }

  /**
   * After `network connect` to a user-defined network of a container that had none (only the
   * default bridge): its resolv.conf names that network's DNS server, as Docker's switches such a
   * container to its embedded DNS; rewritten in place while it runs (its bind mount holds the file).
   * Called once the record names the network: a connect killed before leaves the host's resolvers.
   */
  public void useNetworkDnsAfterConnect(Set<String> before, String network, Path containerDir, boolean running) {
    if (NetworkMode.requestedBuiltIn(network) || before.stream().anyMatch(n -> !NetworkMode.requestedBuiltIn(n))) {
      return;
    }
    String gateway = networks.get(network).gateway();
    if (running) {
      etc.repointInPlace(containerDir, gateway);
    } else {
      etc.pointAt(containerDir, gateway);
    }
  }

  /**
   * Repairs what a killed process left: the endpoints and namespaces of containers that are gone
   * or do not run ({@code runningOn} empty), their veths too (see {@link #disconnectStale(String)});
   * the endpoints of running containers on networks their records do not list (a `network
   * connect` killed before it recorded the network, a `network disconnect` killed after); the DNS
   * server's names where they are not the endpoints' (a process killed between an endpoint's
   * change and the names'); the isolation rules where they no longer match the networks.
   *
   * @param runningOn a container's networks as its record lists them while it runs, empty if it
   *     is gone or does not run
   */
  public void disconnectStale(Function<String, Optional<Set<String>>> runningOn) {
    try {
      isolation.repair(bridgeNetworks()); // a network removed or made by a killed command
    } catch (RuntimeException e) {
      // left for the next command
    }
    Set<String> ids = new TreeSet<>(namespaces.list());
    endpoints.list().forEach(e -> ids.add(e.containerId()));
    for (String id : ids) {
      if (heldByBuild.test(id)) {
        continue; // a RUN of a build that runs: its sandbox tears it down
      }
      try {
        Optional<Set<String>> networks = runningOn.apply(id);
        if (networks.isEmpty()) {
          disconnectStale(id);
        } else {
          for (Endpoint e : endpoints.of(id)) {
            if (!networks.get().contains(e.network().name())) {
              remove(e, true);
            }
          }
        }
      } catch (RuntimeException ex) {
        // left for the next command
      }
    }
    try {
      dns.repair(endpoints::list);
    } catch (RuntimeException e) {
      // likewise
    }
  }

  /**
   * {@link #disconnect} of a container that does not run, its veths deleted if they outlived the
   * unmount of its namespace: a process still in it (the init of a run killed between the
   * runtime's create and start) keeps them, with addresses the pool has just given back.
   */
  private void disconnectStale(String id) {
    List<Endpoint> had = endpoints.of(id);
    disconnect(id);
    had.forEach(driver::deleteHostInterface);
  }

  /**
   * --add-host NAME:host-gateway with the default bridge's gateway, as dockerd's host-gateway-ip
   * defaults to its bridge's address; with the bridge disabled, Docker's error (the container stays created).
   */
  private HostConfig.NameResolution withHostGateway(HostConfig.NameResolution names) {
    String suffix = ":" + NameResolutionOptions.HOST_GATEWAY;
    if (names.extraHosts().stream().noneMatch(h -> h.endsWith(suffix))) {
      return names;
    }
    if (!options.enabled()) {
      throw EngineException.internal("unable to derive the IP value for host-gateway");
    }
    String gateway = defaultBridge().gateway();
    return names.withExtraHosts(names.extraHosts().stream()
        .map(h -> h.endsWith(suffix) ? h.substring(0, h.length() - suffix.length()) + ":" + gateway : h).toList());
  }

  /** The container's first endpoint while it runs on a bridge-driver network. */
  public Optional<Endpoint> endpoint(String id) {
    return endpoints(id).stream().findFirst();
  }

  /** The container's endpoints while it runs, eth0 first. */
  public List<Endpoint> endpoints(String id) {
    return endpoints.of(id).stream().filter(e -> e.cniResult() != null).toList();
  }

  /**
   * At create: the networks the container starts connected to, its --network (if of the bridge
   * driver) with --network-alias and --ip.
   */
  public Map<String, EndpointConfig> initialNetworks(String network, EndpointConfig config) {
    return NetworkMode.recorded(network) == NetworkMode.BRIDGE ? Map.of(network, config) : Map.of();
  }

  /** Docker's EndpointID of the container's endpoint. */
  public static String endpointId(String containerId) {
    return DerivedId.of("endpoint", containerId);
  }

  /** Docker's EndpointID of one of the container's endpoints. */
  public static String endpointId(Endpoint e) {
    return e.first() ? endpointId(e.containerId()) : DerivedId.of("endpoint", e.containerId() + "/" + e.network().id());
  }

  private static String hostname(Path containerDir, String id) {
    try {
      return Files.readString(containerDir.resolve(EtcFiles.HOSTNAME)).trim();
    } catch (IOException e) {
      return id.substring(0, 12);
    }
  }
}
