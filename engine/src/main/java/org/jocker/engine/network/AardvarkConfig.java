package org.jocker.engine.network;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * aardvark-dns's configuration (its config.md): one file per network, named here by the network's
 * id (aardvark only uses the name as a key, and an id can never be its own "aardvark.pid"); the
 * first line the addresses it listens on (the bridge's gateway), then one line per container:
 * {@code ID IPV4 IPV6 NAME,ALIAS,... [DNS,...]} (no IPv6 here, so two spaces; the container's
 * --dns servers last, to which aardvark forwards its other names). A network without containers
 * that have names has no file.
 */
final class AardvarkConfig {
  private AardvarkConfig() {}

  /** The files' contents by file name, for the endpoints that are up and have DNS names. */
  static Map<String, String> files(List<Endpoint> endpoints) {
    Map<String, StringBuilder> files = new TreeMap<>();
    for (Endpoint e : endpoints) {
      if (e.cniResult() == null || e.dnsNames().isEmpty() || e.ipAddress().isEmpty()) {
        continue;
      }
      BridgeNetwork n = e.network();
      files.computeIfAbsent(n.id(), id -> new StringBuilder(n.gateway()).append('\n'))
          .append(e.containerId()).append(' ').append(e.ipAddress()).append("  ")
          .append(String.join(",", e.dnsNames()).toLowerCase(Locale.ROOT))
          .append(e.dnsServers().isEmpty() ? "" : " " + String.join(",", e.dnsServers())).append('\n');
    }
    Map<String, String> out = new TreeMap<>();
    files.forEach((name, text) -> out.put(name, text.toString()));
    return out;
  }

  /** The addresses a config file's server listens on (its first line). */
  static String listenAddress(String file) {
    return file.substring(0, file.indexOf('\n'));
  }
}
