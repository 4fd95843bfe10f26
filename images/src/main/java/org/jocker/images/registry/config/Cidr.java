package org.jocker.images.registry.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IP network ({@code 10.0.0.0/8}, {@code ::1/128}) and whether an address lies in it. */
record Cidr(byte[] network, int prefix) {
  Cidr {
    network = network.clone();
  }

  /** {@code text} as a CIDR, or null when it is none (then it names a host). */
  static Cidr parseOrNull(String text) {
    int slash = text.indexOf('/');
    if (slash < 0 || !looksLikeAddress(text.substring(0, slash))) {
      return null;
    }
    try {
      byte[] address = InetAddress.getByName(text.substring(0, slash)).getAddress(); // a literal: no lookup
      int prefix = Integer.parseInt(text.substring(slash + 1));
      if (prefix < 0 || prefix > address.length * 8) {
        return null;
      }
      return new Cidr(address, prefix);
    } catch (UnknownHostException | NumberFormatException e) {
      return null;
    }
  }

  boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length != network.length) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** IPv4 digits and dots, or IPv6 hex and colons: never a name, so never a DNS lookup. */
  static boolean looksLikeAddress(String text) {
    return text.matches("[0-9.]+") && text.contains(".") || text.matches("[0-9a-fA-F:.]+") && text.contains(":");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
