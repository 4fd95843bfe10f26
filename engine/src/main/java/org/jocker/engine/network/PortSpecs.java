package org.jocker.engine.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig;

/** `-p [hostIP:][hostPort:]containerPort[/tcp|udp]` into port bindings, with Docker's errors. */
public final class PortSpecs {
  private PortSpecs() {}

  public static List<HostConfig.PortBinding> parse(List<String> specs) {
    return specs.stream().flatMap(s -> parseAll(s).stream()).toList();
  }

  /** One -p without a range. */
  public static HostConfig.PortBinding parse(String spec) {
    List<HostConfig.PortBinding> all = parseAll(spec);
    if (all.size() != 1) {
      throw EngineException.invalidArgument("invalid port format: " + spec);
    }
    return all.get(0);
  }

  /**
   * One -p, ranges included: {@code 8000-8001:80-81} is two bindings, {@code 80-81} two ephemeral
   * ones, and {@code 8000-8010:80} one binding to the first free port of the host range (Docker's
   * rule: ranges of equal length, or a host range for one container port).
   */
  public static List<HostConfig.PortBinding> parseAll(String spec) {
    String protocol = "tcp";
    String rest = spec;
    int slash = spec.lastIndexOf('/');
    if (slash >= 0) {
      protocol = spec.substring(slash + 1).toLowerCase(Locale.ROOT);
      rest = spec.substring(0, slash);
      if (!protocol.equals("tcp") && !protocol.equals("udp")) {
        throw EngineException.invalidArgument("invalid proto: " + protocol);
      }
    }
    String[] parts = rest.split(":", -1);
    if (parts.length > 3) {
      throw EngineException.invalidArgument("invalid port format: " + spec);
    }
    String container = parts[parts.length - 1];
    String host = parts.length >= 2 ? parts[parts.length - 2] : "";
    String ip = parts.length == 3 ? parts[0] : "";
    int[] containerPorts = range(container, "containerPort");
    int[] hostPorts = host.isEmpty() ? null : range(host, "hostPort");
    if (!ip.isEmpty()) {
      try {
        Ipv4Subnet.address(ip);
      } catch (IllegalArgumentException e) {
        throw EngineException.invalidArgument("invalid IP address: " + ip);
      }
    }
    int count = containerPorts[1] - containerPorts[0];
    List<HostConfig.PortBinding> out = new ArrayList<>();
    if (hostPorts != null && hostPorts[1] - hostPorts[0] != count) {
      if (count != 0) {
        throw EngineException.invalidArgument("invalid ranges specified for container and host Ports: " + container
            + " and " + host);
      }
      out.add(new HostConfig.PortBinding(ip, hostPorts[0], containerPorts[0], protocol, hostPorts[1], false));
      return out;
    }
    for (int i = 0; i <= count; i++) {
      out.add(new HostConfig.PortBinding(ip, hostPorts == null ? null : hostPorts[0] + i, containerPorts[0] + i,
          protocol));
    }
    return out;
  }

  /**
   * -P: the bindings asked for, then an ephemeral one for every exposed port ("80/tcp", as images
   * and --expose name them) that none of them publishes.
   */
  public static List<HostConfig.PortBinding> publishAll(List<HostConfig.PortBinding> bindings,
      java.util.Collection<String> exposed) {
    List<HostConfig.PortBinding> out = new ArrayList<>(bindings);
    for (String port : new java.util.TreeSet<>(exposed)) {
      HostConfig.PortBinding b = parse(port);
      if (bindings.stream().noneMatch(o -> o.portKey().equals(b.portKey()))) {
        out.add(new HostConfig.PortBinding("", null, b.containerPort(), b.protocol(), null, true));
      }
    }
    return out;
  }

  /** PORT or START-END. */
  private static int[] range(String text, String what) {
    int dash = text.indexOf('-');
    try {
      int start = port(dash < 0 ? text : text.substring(0, dash));
      int end = dash < 0 ? start : port(text.substring(dash + 1));
      if (end < start) {
        throw new NumberFormatException();
      }
      return new int[] {start, end};
    } catch (NumberFormatException e) {
      throw EngineException.invalidArgument("invalid " + what + ": " + text);
    }
  }

  private static int port(String text) {
    int p = Integer.parseInt(text);
    if (p < 1 || p > 65535) {
      throw new NumberFormatException();
    }
    return p;
  }
}
