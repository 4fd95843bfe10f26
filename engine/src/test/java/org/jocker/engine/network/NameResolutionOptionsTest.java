package org.jocker.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig;
import org.junit.jupiter.api.Test;

class NameResolutionOptionsTest {
  private static HostConfig.NameResolution parse(List<String> dns, List<String> search, List<String> hosts) {
    return NameResolutionOptions.parse(dns, search, List.of("ndots:2"), hosts, "example.org");
  }

  @Test
  void validValuesAreKeptAsDockersClientSendsThem() {
    HostConfig.NameResolution n = parse(List.of("10.0.0.53", "fd00::53"), List.of("example.com.", "."),
        List.of("db:10.1.2.3", "v6=::1", "br:[fd00::1]", "gw:host-gateway"));
    assertThat(n.dns()).containsExactly("10.0.0.53", "fd00::53");
    assertThat(n.dnsSearch()).containsExactly("example.com", ".");
    assertThat(n.dnsOptions()).containsExactly("ndots:2");
    assertThat(n.extraHosts()).containsExactly("db:10.1.2.3", "v6:::1", "br:fd00::1", "gw:host-gateway");
    assertThat(n.domainname()).isEqualTo("example.org");
  }

  @Test
  void badValuesAreRefusedInDockersWords() {
    assertThatThrownBy(() -> parse(List.of("dns.example"), List.of(), List.of()))
        .isInstanceOf(EngineException.class)
        .hasMessage("invalid argument \"dns.example\" for \"--dns\" flag: dns.example is not an ip address");
    assertThatThrownBy(() -> parse(List.of("1.2.3"), List.of(), List.of()))
        .hasMessageContaining("1.2.3 is not an ip address");
    assertThatThrownBy(() -> parse(List.of("zz::1"), List.of(), List.of()))
        .hasMessageContaining("zz::1 is not an ip address");
    assertThatThrownBy(() -> parse(List.of(), List.of("-bad-"), List.of()))
        .hasMessage("invalid argument \"-bad-\" for \"--dns-search\" flag: -bad- is not a valid domain");
    assertThatThrownBy(() -> parse(List.of(), List.of("123"), List.of()))
        .hasMessageContaining("123 is not a valid domain");
    assertThatThrownBy(() -> parse(List.of(), List.of(), List.of("nohost")))
        .hasMessage("invalid argument \"nohost\" for \"--add-host\" flag: bad format for add-host: \"nohost\"");
    assertThatThrownBy(() -> parse(List.of(), List.of(), List.of(":1.2.3.4")))
        .hasMessageContaining("bad format for add-host: \":1.2.3.4\"");
    assertThatThrownBy(() -> parse(List.of(), List.of(), List.of("db:db.example")))
        .hasMessage("invalid argument \"db:db.example\" for \"--add-host\" flag: invalid IP address in add-host:"
            + " \"db.example\"");
  }
}
