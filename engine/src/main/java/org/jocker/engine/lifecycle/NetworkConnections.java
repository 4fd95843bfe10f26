package org.jocker.engine.lifecycle;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerLock;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStates;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.EndpointConfig;
import org.jocker.engine.network.BridgeNetwork;
import org.jocker.engine.network.ContainerNetworking;
import org.jocker.engine.network.NetworkMode;

/**
 * `network connect` and `network disconnect`: the container's record lists the networks it is
 * connected to; a running container also gets (or loses) the endpoint at once, a stopped one at
 * its next start. Under the store lock and the container's (whose exit command tears down all of
 * its endpoints). Docker's errors.
 */
public final class NetworkConnections {
  private static final String HOST_ERROR = "container cannot be disconnected from host network or connected to host"
      + " network";
  private final ContainerStore containers;
  private final ContainerStates states;
  private final ContainerNetworking networking;

  public NetworkConnections(ContainerStore containers, ContainerStates states, ContainerNetworking networking) {
    this.containers = containers;
    this.states = states;
    this.networking = networking;
  }

  public void connect(String networkNameOrId, String container, EndpointConfig config) {
    containers.locked(() -> {
      String network = networkName(networkNameOrId);
      ContainerRecord r = containers.get(container);
      try (ContainerLock lock = ContainerLock.of(containers.dir(r.id()), container)) {
        NetworkMode mode = NetworkMode.recorded(r.hostConfig().networkMode());
        if (mode == NetworkMode.HOST || network.equals("host")) {
          throw EngineException.forbidden(HOST_ERROR);
        }
        if (mode == NetworkMode.CONTAINER) {
          throw EngineException.forbidden("container sharing network namespace with another container or host cannot"
              + " be connected to any other network");
        }
        if (mode == NetworkMode.NONE || network.equals("none")) {
          throw EngineException.forbidden(
              "container cannot be connected to multiple networks with one of the networks in none mode");
        }
        if (r.networks().containsKey(network)) {
          throw EngineException.forbidden("endpoint with name " + r.name() + " already exists in network " + network);
        }
        networking.checkEndpointConfig(network, config);
        boolean running = states.view(r).running();
        if (running) { // killed before the record names it, the repair takes it away
          networking.attach(r.id(), r.name(), network, config, r.hostConfig(), containers.dir(r.id()));
        }
        Map<String, EndpointConfig> connected = new LinkedHashMap<>(r.networks());
        connected.put(network, config);
        containers.save(r.withNetworks(connected));
        networking.useNetworkDnsAfterConnect(r.networks().keySet(), network, containers.dir(r.id()), running);
      }
    });
  }

  /** @param force the record forgets the network even if its endpoint's teardown failed */
  public void disconnect(String networkNameOrId, String container, boolean force) {
    containers.locked(() -> {
      String network = networkName(networkNameOrId);
      ContainerRecord r = containers.get(container);
      try (ContainerLock lock = ContainerLock.of(containers.dir(r.id()), container)) {
        if (NetworkMode.recorded(r.hostConfig().networkMode()) == NetworkMode.HOST || network.equals("host")) {
          throw EngineException.forbidden(HOST_ERROR);
        }
        if (!r.networks().containsKey(network)) {
          throw EngineException.forbidden("container " + r.id() + " is not connected to the network " + network);
        }
        Map<String, EndpointConfig> connected = new LinkedHashMap<>(r.networks());
        connected.remove(network);
        // The record first: killed after it, the endpoint is one on a network the record does not
        // list, which the next command's repair tears down (the other order left the record
        // naming a network the running container no longer had an endpoint on).
        containers.save(r.withNetworks(connected));
        if (states.view(r).running()) {
          try {
            networking.detach(r.id(), network, force, r.hostConfig(), containers.dir(r.id()));
          } catch (RuntimeException e) {
            containers.save(r); // still connected: the teardown failed
            throw e;
          }
        }
      }
    });
  }

  /** A network's name from its name or id (host and none as they are), Docker's error if none. */
  private String networkName(String nameOrId) {
    if (nameOrId.equals("host") || nameOrId.equals("none") || nameOrId.equals(BridgeNetwork.NAME)) {
      return nameOrId;
    }
    return networking.networks().get(nameOrId).name();
  }
}
