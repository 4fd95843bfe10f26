package org.jocker.engine.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jocker.engine.container.HostConfig.NameResolution;
import org.jocker.kernel.Durable;

/**
 * The /etc/hosts, /etc/hostname and /etc/resolv.conf of a container, files in its directory
 * bind-mounted over the image's, written as Docker writes them: hosts with localhost and, on the
 * bridge, the container's address and host name (host mode: a copy of the host's); resolv.conf
 * from the host's, without 127.x nameservers when the container has a network of its own (they
 * would be its own loopback), Google's public resolvers if none is left (Docker's fallback).
 * --dns, --dns-search and --dns-option replace the host's entries of their kind (Docker's
 * resolvconf.Build: search, nameservers, options); --add-host lines follow the localhost ones,
 * before the container's own (NAME.DOMAIN NAME with --domainname).
 */
public final class EtcFiles {
  public static final String HOSTS = "hosts";
  public static final String HOSTNAME = "hostname";
  public static final String RESOLV_CONF = "resolv.conf";
  private static final String LOCALHOST = """
      127.0.0.1\tlocalhost
      ::1\tlocalhost ip6-localhost ip6-loopback
      fe00::0\tip6-localnet
      ff00::0\tip6-mcastprefix
      ff02::1\tip6-allnodes
      ff02::2\tip6-allrouters
      """;
  private final Path hostEtc;

  public EtcFiles(Path hostEtc) {
    this.hostEtc = hostEtc;
  }

  public static EtcFiles host() {
    return new EtcFiles(Path.of("/etc"));
  }

  /** Writes the three files into {@code dir} (hosts without the container's address yet). */
  public void write(Path dir, NetworkMode mode, String hostname) {
    write(dir, mode, hostname, NameResolution.NONE);
  }

  /** The same with the container's --dns* and --add-host options (host-gateway entries are left out). */
  public void write(Path dir, NetworkMode mode, String hostname, NameResolution names) {
    write(dir.resolve(HOSTNAME), hostname + "\n");
    write(dir.resolve(RESOLV_CONF), resolvConf(mode, names));
    writeHosts(dir, mode, hostname, List.of(), names);
  }

  /**
   * hosts again, once the container has its addresses (one line for each network, in the order
   * it joined them, as Docker's), with --add-host entries (those still naming host-gateway are
   * left out) and --domainname.
   */
  public void writeHosts(Path dir, NetworkMode mode, String hostname, List<String> addresses, NameResolution names) {
    write(dir.resolve(HOSTS), hosts(mode, hostname, addresses, names));
  }

  /**
   * hosts of a running container whose networks changed (`network connect`/`disconnect`),
   * rewritten in place: its bind mount holds the file's inode, so a new file renamed over it
   * would not be seen. A reader may catch it half-written for a moment, as Docker documents for
   * its own live updates; a crash leaves it for the next change or start to write again.
   */
  public void rewriteHosts(Path dir, String hostname, List<String> addresses, NameResolution names) {
    rewriteInPlace(dir.resolve(HOSTS), hosts(NetworkMode.BRIDGE, hostname, addresses, names));
  }

  /** {@link #pointAt} for a running container: rewritten in place, as {@link #rewriteHosts}. */
  public void repointInPlace(Path dir, String nameServer) {
    rewriteInPlace(dir.resolve(RESOLV_CONF), withNameServer(read(dir.resolve(RESOLV_CONF)).orElse(""), nameServer));
  }

  private static void rewriteInPlace(Path file, String text) {
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
      out.truncate(0);
      ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private String hosts(NetworkMode mode, String hostname, List<String> addresses, NameResolution names) {
    if (mode == NetworkMode.HOST && names.extraHosts().isEmpty()) {
      return read(hostEtc.resolve("hosts")).orElse(LOCALHOST);
    }
    StringBuilder hosts = new StringBuilder(LOCALHOST);
    for (String entry : names.extraHosts()) {
      int colon = entry.indexOf(':');
      String ip = entry.substring(colon + 1);
      if (!ip.equals(NameResolutionOptions.HOST_GATEWAY)) {
        hosts.append(ip).append('\t').append(entry, 0, colon).append('\n');
      }
    }
    String ownNames = names.domainname().isEmpty() ? hostname : hostname + "." + names.domainname() + " " + hostname;
    addresses.forEach(address -> hosts.append(address).append('\t').append(ownNames).append('\n'));
    return hosts.toString();
  }

  /** resolv.conf with the container's options: each given kind replaces the host's (Docker's Build). */
  String resolvConf(NetworkMode mode, NameResolution names) {
    String base = resolvConf(mode);
    if (names.dns().isEmpty() && names.dnsSearch().isEmpty() && names.dnsOptions().isEmpty()) {
      return base;
    }
    List<String> servers = names.dns().isEmpty() ? nameservers(base) : names.dns();
    List<String> search = names.dnsSearch().isEmpty() ? lastEntry(base, "search") : names.dnsSearch();
    List<String> options = names.dnsOptions().isEmpty() ? lastEntry(base, "options") : names.dnsOptions();
    StringBuilder out = new StringBuilder();
    String searchLine = String.join(" ", search);
    if (!search.isEmpty() && !searchLine.strip().equals(".")) { // "." asks for no search domain
      out.append("search ").append(searchLine).append('\n');
    }
    servers.forEach(s -> out.append("nameserver ").append(s).append('\n'));
    String optionsLine = String.join(" ", options);
    if (!optionsLine.isBlank()) {
      out.append("options ").append(optionsLine).append('\n');
    }
    return out.toString();
  }

  private static List<String> nameservers(String resolvConf) {
    List<String> servers = new ArrayList<>();
    for (String line : resolvConf.lines().toList()) {
      String[] f = line.strip().split("\\s+");
      if (f.length == 2 && f[0].equals("nameserver")) {
        servers.add(f[1]);
      }
    }
    return servers;
  }

  /** The words of the last line of a kind (search, options), as resolv.conf's reader takes them. */
  private static List<String> lastEntry(String resolvConf, String kind) {
    List<String> words = List.of();
    for (String line : resolvConf.lines().toList()) {
      List<String> f = List.of(line.strip().split("\\s+"));
      if (f.get(0).equals(kind)) {
        words = f.subList(1, f.size());
      }
    }
    return words;
  }

  /**
   * resolv.conf pointed at a network's DNS server: its nameserver lines replaced by that one,
   * search and options kept, {@code ndots:0} added unless an ndots is given (Docker's embedded
   * DNS does the same: a bare name is asked as it is first).
   */
  public void pointAt(Path dir, String nameServer) {
    write(dir.resolve(RESOLV_CONF), withNameServer(read(dir.resolve(RESOLV_CONF)).orElse(""), nameServer));
  }

  static String withNameServer(String resolvConf, String nameServer) {
    List<String> lines = new ArrayList<>();
    lines.add("nameserver " + nameServer);
    boolean ndots = false;
    for (String line : resolvConf.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f[0].equals("nameserver") || line.isBlank()) {
        continue;
      }
      ndots |= f[0].equals("options") && line.contains("ndots:");
      lines.add(line);
    }
    if (!ndots) {
      lines.add("options ndots:0");
    }
    return String.join("\n", lines) + "\n";
  }

  String resolvConf(NetworkMode mode) {
    String host = read(hostEtc.resolve("resolv.conf")).orElse("");
    if (mode == NetworkMode.HOST) {
      return host;
    }
    List<String> lines = new ArrayList<>();
    boolean nameserver = false;
    for (String line : host.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && f[0].equals("nameserver")) {
        if (f[1].startsWith("127.") || f[1].equals("::1")) {
          continue;
        }
        nameserver = true;
      }
      lines.add(line);
    }
    if (!nameserver) {
      lines.add("");
      lines.add("nameserver 8.8.8.8");
      lines.add("nameserver 8.8.4.4");
    }
    return String.join("\n", lines) + "\n";
  }

  private static java.util.Optional<String> read(Path file) {
    try {
      return java.util.Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return java.util.Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void write(Path file, String text) {
    Durable.writeUnchecked(file, text.getBytes(StandardCharsets.UTF_8));
  }
}
