package org.jocker.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.engine.container.HostConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcFilesTest {
  @TempDir Path tmp;

  @Test
  void resolvConfDropsLoopbackNameserversUnlessOnTheHostsNetwork() throws Exception {
    Path etc = Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(etc.resolve("resolv.conf"), "search example\nnameserver 127.0.0.53\nnameserver 10.1.2.3\n");
    EtcFiles files = new EtcFiles(etc);
    assertThat(files.resolvConf(NetworkMode.BRIDGE)).isEqualTo("search example\nnameserver 10.1.2.3\n");
    assertThat(files.resolvConf(NetworkMode.HOST)).contains("127.0.0.53");
    Files.writeString(etc.resolve("resolv.conf"), "nameserver 127.0.0.53\n");
    assertThat(files.resolvConf(NetworkMode.BRIDGE)).isEqualTo("\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n");
  }

  @Test
  void resolvConfOnAUserNetworkNamesItsDnsServerAndKeepsSearchAndOptions() {
    assertThat(EtcFiles.withNameServer("search example\nnameserver 10.1.2.3\n\nnameserver 10.1.2.4\n", "10.89.0.1"))
        .isEqualTo("nameserver 10.89.0.1\nsearch example\noptions ndots:0\n");
    assertThat(EtcFiles.withNameServer("nameserver 10.1.2.3\noptions ndots:2 timeout:1\n", "10.89.0.1"))
        .isEqualTo("nameserver 10.89.0.1\noptions ndots:2 timeout:1\n");
  }

  @Test
  void hostsNameTheContainersAddress() throws Exception {
    Path etc = Files.createDirectories(tmp.resolve("etc"));
    Path dir = Files.createDirectories(tmp.resolve("c"));
    EtcFiles files = new EtcFiles(etc);
    files.write(dir, NetworkMode.BRIDGE, "abc");
    assertThat(Files.readString(dir.resolve("hostname"))).isEqualTo("abc\n");
    assertThat(Files.readString(dir.resolve("hosts"))).startsWith("127.0.0.1\tlocalhost\n").doesNotContain("abc");
    files.writeHosts(dir, NetworkMode.BRIDGE, "abc", List.of("172.17.0.5"), HostConfig.NameResolution.NONE);
    assertThat(Files.readString(dir.resolve("hosts"))).endsWith("ff02::2\tip6-allrouters\n172.17.0.5\tabc\n");
  }

  @Test
  void eachNetworkHasItsLineAndARewriteKeepsTheFileThatIsBindMounted() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("c"));
    EtcFiles files = new EtcFiles(Files.createDirectories(tmp.resolve("etc")));
    files.writeHosts(dir, NetworkMode.BRIDGE, "abc", List.of("10.89.1.2"), HostConfig.NameResolution.NONE);
    Object inode = Files.getAttribute(dir.resolve("hosts"), "unix:ino");
    files.rewriteHosts(dir, "abc", List.of("10.89.1.2", "10.89.2.3"), HostConfig.NameResolution.NONE);
    assertThat(Files.readString(dir.resolve("hosts"))).endsWith("ff02::2\tip6-allrouters\n10.89.1.2\tabc\n10.89.2.3\tabc\n");
    files.rewriteHosts(dir, "abc", List.of("10.89.2.3"), HostConfig.NameResolution.NONE);
    assertThat(Files.readString(dir.resolve("hosts"))).endsWith("ff02::2\tip6-allrouters\n10.89.2.3\tabc\n");
    assertThat(Files.getAttribute(dir.resolve("hosts"), "unix:ino")).isEqualTo(inode);
  }

  @Test
  void dnsOptionsReplaceTheHostsEntriesOfTheirKind() throws Exception {
    Path etc = Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(etc.resolve("resolv.conf"),
        "# host\nsearch host.example\nnameserver 127.0.0.53\nnameserver 10.1.2.3\noptions edns0\n");
    EtcFiles files = new EtcFiles(etc);
    assertThat(files.resolvConf(NetworkMode.BRIDGE, names(List.of("10.0.0.53", "10.0.0.54"),
        List.of("a.example", "b.example"), List.of("ndots:2", "timeout:1"), List.of())))
        .isEqualTo("search a.example b.example\nnameserver 10.0.0.53\nnameserver 10.0.0.54\n"
            + "options ndots:2 timeout:1\n");
    // Only --dns-search: the host's nameservers (the loopback one left out) and options stay.
    assertThat(files.resolvConf(NetworkMode.BRIDGE, names(List.of(), List.of("a.example"), List.of(), List.of())))
        .isEqualTo("search a.example\nnameserver 10.1.2.3\noptions edns0\n");
    // "." asks for no search domain at all.
    assertThat(files.resolvConf(NetworkMode.BRIDGE, names(List.of("10.0.0.53"), List.of("."), List.of(), List.of())))
        .isEqualTo("nameserver 10.0.0.53\noptions edns0\n");
  }

  @Test
  void extraHostsComeBeforeTheContainersOwnLineWithItsDomain() throws Exception {
    Path etc = Files.createDirectories(tmp.resolve("etc"));
    Path dir = Files.createDirectories(tmp.resolve("c"));
    EtcFiles files = new EtcFiles(etc);
    HostConfig.NameResolution names = new HostConfig.NameResolution(null, null, null,
        List.of("db:10.1.2.3", "gw:host-gateway", "v6:fd00::1"), "example.org");
    files.write(dir, NetworkMode.BRIDGE, "web", names);
    assertThat(Files.readString(dir.resolve("hosts")))
        .endsWith("ff02::2\tip6-allrouters\n10.1.2.3\tdb\nfd00::1\tv6\n"); // host-gateway only at start
    files.writeHosts(dir, NetworkMode.BRIDGE, "web", List.of("172.17.0.5"), names.withExtraHosts(List.of("gw:172.17.0.1")));
    assertThat(Files.readString(dir.resolve("hosts")))
        .endsWith("ff02::2\tip6-allrouters\n172.17.0.1\tgw\n172.17.0.5\tweb.example.org web\n");
  }

  private static HostConfig.NameResolution names(List<String> dns, List<String> search, List<String> options,
      List<String> hosts) {
    return new HostConfig.NameResolution(dns, search, options, hosts, null);
  }
}
