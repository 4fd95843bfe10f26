package org.jocker.engine.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig;

/**
 * `--dns`, `--dns-search`, `--dns-option`, `--add-host` and `--domainname` checked as Docker's
 * client checks them (its opts.ValidateIPAddress, ValidateDNSSearch, ValidateExtraHost), with its
 * words: {@code invalid argument "X" for "--dns" flag: X is not an ip address}.
 */
public final class NameResolutionOptions {
  /** The --add-host address Docker replaces by the default bridge's gateway. */
  public static final String HOST_GATEWAY = "host-gateway";
  private static final String LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final Pattern DOMAIN = Pattern.compile("^(" + LABEL + "(?:\\." + LABEL + ")*)\\.?\\s*$");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

  private NameResolutionOptions() {}

  public static HostConfig.NameResolution parse(List<String> dns, List<String> dnsSearch, List<String> dnsOptions,
      List<String> addHosts, String domainname) {
    List<String> servers = new ArrayList<>();
    for (String d : dns) {
      if (!isIp(d.strip())) {
        throw invalid(d, "--dns", d + " is not an ip address");
      }
      servers.add(d.strip());
    }
    List<String> search = new ArrayList<>();
    for (String s : dnsSearch) {
      search.add(searchDomain(s));
    }
    List<String> hosts = new ArrayList<>();
    for (String h : addHosts) {
      hosts.add(extraHost(h));
    }
    return new HostConfig.NameResolution(servers, search, dnsOptions, hosts, domainname);
  }

  /** A search domain, or "." for none (Docker's ValidateDNSSearch). */
  private static String searchDomain(String value) {
    String v = value.strip();
    if (v.equals(".")) {
      return v;
    }
    Matcher m = DOMAIN.matcher(v);
    if (!v.matches(".*[a-zA-Z].*") || !m.matches() || m.group(1).length() >= 255) {
      throw invalid(value, "--dns-search", v + " is not a valid domain");
    }
    return m.group(1);
  }

  /** NAME:IP or NAME=IP (IP in brackets allowed), kept as NAME:IP as Docker's client sends it. */
  private static String extraHost(String value) {
    int eq = value.indexOf('=');
    int sep = eq >= 0 ? eq : value.indexOf(':');
    String name = sep < 0 ? "" : value.substring(0, sep);
    if (sep < 0 || name.isEmpty() || name.contains(":")) {
      throw invalid(value, "--add-host", "bad format for add-host: \"" + value + "\"");
    }
    String ip = value.substring(sep + 1);
    if (!ip.equals(HOST_GATEWAY)) {
      if (ip.length() > 2 && ip.startsWith("[") && ip.endsWith("]")) {
        ip = ip.substring(1, ip.length() - 1);
      }
      if (!isIp(ip)) {
        throw invalid(value, "--add-host", "invalid IP address in add-host: \"" + ip + "\"");
      }
    }
    return name + ":" + ip;
  }

  /** An IPv4 or IPv6 literal (never a name: nothing is looked up). */
  static boolean isIp(String text) {
    if (!text.contains(":")) {
      try {
        Ipv4Subnet.address(text);
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (!IPV6_CHARS.matcher(text).matches()) {
      return false;
    }
    try {
      InetAddress.getByName(text); // only hex digits, colons and dots: parsed as a literal
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static EngineException invalid(String value, String flag, String why) {
    return EngineException.invalidArgument("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + why);
  }
}
