package org.jocker.engine.network;

import org.jocker.engine.EngineException;

/** An IPv4 subnet (172.17.0.0/16) and the address arithmetic networking needs. */
public record Ipv4Subnet(int network, int prefixLength) {
  public Ipv4Subnet {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length " + prefixLength);
    }
    network &= mask(prefixLength);
  }

  /** 172.17.0.0/16; also an address with its prefix (172.17.0.1/16, Docker's --bip), reduced to its subnet. */
  public static Ipv4Subnet parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw EngineException.invalidArgument("invalid CIDR address: " + cidr);
    }
    try {
      return new Ipv4Subnet(address(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
    } catch (IllegalArgumentException e) {
      throw EngineException.invalidArgument("invalid CIDR address: " + cidr);
    }
  }

  /** A dotted quad as an int (network order in the int's bits: 172.17.0.1 → 0xAC110001). */
  public static int address(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + dotted);
    }
    int a = 0;
    for (String p : parts) {
      int b = Integer.parseInt(p);
      if (b < 0 || b > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      }
      a = a << 8 | b;
    }
    return a;
  }

  public static String dotted(int address) {
    return (address >>> 24) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "." + (address & 255);
  }

  static int mask(int prefixLength) {
    return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
  }

  /** How many addresses the subnet has, its network and broadcast addresses included. */
  public long size() {
    return 1L << (32 - prefixLength);
  }

  /** The first host address, the gateway by Docker's convention (172.17.0.1). */
  public String firstHost() {
    return dotted(network + 1);
  }

  /** The last address (the broadcast address of a subnet). */
  public int last() {
    return network | ~mask(prefixLength);
  }

  /** Whether the other subnet lies wholly inside this one. */
  public boolean contains(Ipv4Subnet other) {
    return other.prefixLength >= prefixLength && (other.network & mask(prefixLength)) == network;
  }

  public boolean overlaps(Ipv4Subnet other) {
    int shorter = Math.min(prefixLength, other.prefixLength);
    return (network & mask(shorter)) == (other.network & mask(shorter));
  }

  @Override
  public String toString() {
    return dotted(network) + "/" + prefixLength;
  }
}
