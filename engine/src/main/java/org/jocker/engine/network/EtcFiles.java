package org.jocker.engine.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocker.kernel.Durable;

/**
 * The /etc/hosts, /etc/hostname and /etc/resolv.conf of a container, files in its directory
 * bind-mounted over the image's, written as Docker writes them: hosts with localhost and, on the
 * bridge, the container's address and host name (host mode: a copy of the host's); resolv.conf
 * from the host's, without 127.x nameservers when the container has a network of its own (they
 * would be its own loopback), Google's public resolvers if none is left (Docker's fallback).
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
    write(dir.resolve(HOSTNAME), hostname + "\n");
    write(dir.resolve(RESOLV_CONF), resolvConf(mode));
    writeHosts(dir, mode, hostname, "");
  }

  /** hosts again, once the container has an address on the bridge ("" for none). */
  public void writeHosts(Path dir, NetworkMode mode, String hostname, String ipAddress) {
    if (mode == NetworkMode.HOST) {
      write(dir.resolve(HOSTS), read(hostEtc.resolve("hosts")).orElse(LOCALHOST));
      return;
    }
    write(dir.resolve(HOSTS), LOCALHOST + (ipAddress.isEmpty() ? "" : ipAddress + "\t" + hostname + "\n"));
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
