package org.jocker.engine.network;

import java.net.Inet4Address;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.jocker.engine.EngineException;

/**
 * An Ethernet (EUI-48) address: `--mac-address` as Docker's client checks it, and the one Docker
 * gives an endpoint otherwise (02:42 and its IPv4 address).
 */
public final class MacAddress {
  /** Six octets with ':' or '-' between them, as Go's net.ParseMAC takes an EUI-48. */
  private static final Pattern EUI48 = Pattern.compile("[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\\1[0-9a-fA-F]{2}){4}");
  private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

  private MacAddress() {}

  /**
   * `--mac-address` normalized to lower case with colons; Docker's client's words for one that is
   * not an address. EUI-64 and InfiniBand forms, which Go also parses, fit no veth and are refused.
   */
  public static String parse(String text) {
    String t = text.strip();
    if (!EUI48.matcher(t).matches()) {
      throw EngineException.invalidArgument(text + " is not a valid mac address");
    }
    return t.toLowerCase(java.util.Locale.ROOT).replace('-', ':');
  }

  /** The six bytes of an address {@link #parse} accepted. */
  static byte[] bytes(String normalized) {
    return COLONS.parseHex(normalized);
  }

  /** Docker's: 02:42 and the four bytes of the address. */
  static byte[] derived(Inet4Address ip) {
    byte[] a = ip.getAddress();
    return new byte[] {0x02, 0x42, a[0], a[1], a[2], a[3]};
  }

  static String format(byte[] mac) {
    return COLONS.formatHex(mac);
  }
}
