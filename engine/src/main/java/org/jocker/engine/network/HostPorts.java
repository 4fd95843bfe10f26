package org.jocker.engine.network;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig;

/**
 * The host ports of a run's -p options: a port another running container publishes is refused as
 * Docker's allocator does, one that a process of the host listens on as Docker's proxy's bind
 * fails, and an ephemeral one is the kernel's choice for a socket bound to port 0. portmap keeps no
 * socket open (it only adds DNAT rules), so the check is at start, under the store lock.
 */
final class HostPorts {
  private HostPorts() {}

  static List<PublishedPort> allocate(String containerName, String endpointId, List<HostConfig.PortBinding> bindings,
      Collection<PublishedPort> taken) {
    List<PublishedPort> out = new ArrayList<>();
    for (HostConfig.PortBinding b : bindings) {
      if (b.hostPortEnd() == null) {
        out.add(take(containerName, endpointId, b, b.hostPort() == null ? ephemeral(b) : b.hostPort(), taken, out));
        continue;
      }
      // A host range for one container port: its first port that is free (Docker's allocator).
      PublishedPort found = null;
      EngineException last = null;
      for (int port = b.hostPort(); port <= b.hostPortEnd() && found == null; port++) {
        try {
          found = take(containerName, endpointId, b, port, taken, out);
        } catch (EngineException e) {
          last = e;
        }
      }
      if (found == null) {
        throw last;
      }
      out.add(found);
    }
    return out;
  }

  /** The binding on this host port, unless another container publishes it or a host process holds it. */
  private static PublishedPort take(String containerName, String endpointId, HostConfig.PortBinding b, int port,
      Collection<PublishedPort> taken, List<PublishedPort> chosen) {
    PublishedPort wanted = new PublishedPort(b.hostIp(), port, b.containerPort(), b.protocol());
    List<PublishedPort> all = new ArrayList<>(taken);
    all.addAll(chosen);
    for (PublishedPort t : all) {
      if (clashes(t, wanted)) {
        throw failed(containerName, endpointId, "Bind for " + address(wanted) + " failed: port is already allocated");
      }
    }
    if (b.hostPort() != null) {
      checkFree(containerName, endpointId, wanted);
    }
    return wanted;
  }

  private static boolean clashes(PublishedPort a, PublishedPort b) {
    return a.hostPort() == b.hostPort() && a.protocol().equals(b.protocol())
        && (a.hostIp().isEmpty() || b.hostIp().isEmpty() || a.hostIp().equals(b.hostIp()));
  }

  private static int ephemeral(HostConfig.PortBinding b) {
    try {
      if (b.protocol().equals("udp")) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(host(b.hostIp()), 0))) {
          return s.getLocalPort();
        }
      }
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(host(b.hostIp()), 0));
        return s.getLocalPort();
      }
    } catch (IOException e) {
      throw EngineException.internal(e, "could not find a free host port for " + b.portKey() + ": " + e.getMessage());
    }
  }

  private static void checkFree(String containerName, String endpointId, PublishedPort p) {
    try {
      if (p.protocol().equals("udp")) {
        new DatagramSocket(new InetSocketAddress(host(p.hostIp()), p.hostPort())).close();
      } else {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress(host(p.hostIp()), p.hostPort()));
        }
      }
    } catch (IOException e) {
      String why = e.getMessage() != null && e.getMessage().contains("Cannot assign")
          ? "bind: cannot assign requested address" : "bind: address already in use";
      throw failed(containerName, endpointId, "Error starting userland proxy: listen " + p.protocol() + "4 "
          + address(p) + ": " + why);
    }
  }

  private static InetAddress host(String ip) throws IOException {
    return InetAddress.getByName(ip.isEmpty() ? "0.0.0.0" : ip);
  }

  private static String address(PublishedPort p) {
    return p.shownHostIp() + ":" + p.hostPort();
  }

  /** Docker's words (the container stays created). */
  private static EngineException failed(String containerName, String endpointId, String why) {
    return EngineException.of(EngineException.Kind.INTERNAL, null, "driver failed programming external"
        + " connectivity on endpoint " + containerName + " (" + endpointId + "): " + why);
  }
}
