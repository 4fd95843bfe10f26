package org.jocker.images.registry.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which registries are reached without verifying their certificate (and over plain http after
 * https), as Docker's {@code insecure-registries}: a registry named as given ({@code host} or
 * {@code host:port}), or one whose host's address lies in a listed CIDR. Loopback
 * (127.0.0.0/8, ::1, localhost) is always insecure, as in Docker.
 */
final class InsecureRegistries {
  private static final List<Cidr> LOOPBACK =
      List.of(Cidr.parseOrNull("127.0.0.0/8"), Cidr.parseOrNull("::1/128"));

  private final Set<String> names;
  private final List<Cidr> networks;
  private final boolean loopback;

  private InsecureRegistries(Set<String> names, List<Cidr> networks, boolean loopback) {
    this.names = names;
    this.networks = networks;
    this.loopback = loopback;
  }

  static InsecureRegistries of(List<String> entries) {
    return of(entries, true);
  }

  /**
   * @param loopback whether loopback is insecure, as Docker always has it (false only for tests,
   *     whose registries live on loopback and must show certificate checks)
   */
  static InsecureRegistries of(List<String> entries, boolean loopback) {
    List<String> names = new ArrayList<>();
    List<Cidr> networks = new ArrayList<>(loopback ? LOOPBACK : List.of());
    for (String entry : entries) {
      String e = stripScheme(entry.strip()).toLowerCase(Locale.ROOT);
      Cidr cidr = Cidr.parseOrNull(e);
      if (cidr != null) {
        networks.add(cidr);
      } else {
        names.add(e);
      }
    }
    return new InsecureRegistries(Set.copyOf(names), List.copyOf(networks), loopback);
  }

  boolean covers(String registry) {
    String r = registry.toLowerCase(Locale.ROOT);
    if (names.contains(r)) {
      return true;
    }
    String host = HostPort.host(r);
    if (host.equals("localhost")) {
      return loopback;
    }
    // A name is looked up only when the user listed networks of their own: loopback alone needs
    // no DNS query for every registry (a name on loopback other than localhost stays secure).
    if (!Cidr.looksLikeAddress(host) && networks.size() == (loopback ? LOOPBACK.size() : 0)) {
      return false;
    }
    for (InetAddress address : addresses(host)) {
      if (networks.stream().anyMatch(n -> n.contains(address))) {
        return true;
      }
    }
    return false;
  }

  /** The host's addresses: a literal as it is, a name as the resolver answers (none if unknown). */
  private static List<InetAddress> addresses(String host) {
    try {
      return List.of(InetAddress.getAllByName(host));
    } catch (UnknownHostException e) {
      return List.of();
    }
  }

  /** Docker accepts "http://host:port" in the list and means the host. */
  private static String stripScheme(String entry) {
    int scheme = entry.indexOf("://");
    String rest = scheme < 0 ? entry : entry.substring(scheme + 3);
    return rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
  }
}
