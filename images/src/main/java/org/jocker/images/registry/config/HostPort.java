package org.jocker.images.registry.config;

/** The host part of a registry name: {@code host}, {@code host:port}, {@code [v6]:port}. */
final class HostPort {
  private HostPort() {}

  static String host(String registry) {
    if (registry.startsWith("[")) {
      int end = registry.indexOf(']');
      return end < 0 ? registry : registry.substring(1, end);
    }
    int colon = registry.indexOf(':');
    if (colon >= 0 && registry.indexOf(':', colon + 1) >= 0) {
      return registry; // a bare IPv6 address
    }
    return colon < 0 ? registry : registry.substring(0, colon);
  }
}
