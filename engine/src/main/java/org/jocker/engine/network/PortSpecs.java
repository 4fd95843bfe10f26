package org.jocker.engine.network;

import java.util.List;
import java.util.Locale;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig;

/** `-p [hostIP:][hostPort:]containerPort[/tcp|udp]` into port bindings, with Docker's errors. */
public final class PortSpecs {
  private PortSpecs() {}

  public static List<HostConfig.PortBinding> parse(List<String> specs) {
    return specs.stream().map(PortSpecs::parse).toList();
  }

  public static HostConfig.PortBinding parse(String spec) {
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
    int containerPort = port(container, "containerPort");
    Integer hostPort = host.isEmpty() ? null : port(host, "hostPort");
    if (!ip.isEmpty()) {
      try {
        Ipv4Subnet.address(ip);
      } catch (IllegalArgumentException e) {
        throw EngineException.invalidArgument("invalid IP address: " + ip);
      }
    }
    return new HostConfig.PortBinding(ip, hostPort, containerPort, protocol);
  }

  private static int port(String text, String what) {
    try {
      int p = Integer.parseInt(text);
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw EngineException.invalidArgument("invalid " + what + ": " + text);
    }
  }
}
