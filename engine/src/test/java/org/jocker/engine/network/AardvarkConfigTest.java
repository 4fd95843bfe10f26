package org.jocker.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.jocker.engine.container.EndpointConfig;
import org.junit.jupiter.api.Test;

class AardvarkConfigTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);
  private static final String C = "c".repeat(64);
  private static final BridgeNetwork USER = new BridgeNetwork("dnsnet", "1".repeat(64), "br-111111111111",
      "10.89.0.0/24", "10.89.0.1", null);
  private static final BridgeNetwork DEFAULT = BridgeNetwork.defaultOn("jocker0", "172.17.0.0/16", "172.17.0.1");

  @Test
  void oneFilePerUserNetworkWithItsGatewayThenNameAliasesAndShortIdLowercased() throws Exception {
    List<Endpoint> endpoints = List.of(
        endpoint(A, USER, "10.89.0.2/24", "web", new EndpointConfig(List.of("WWW", "api"), null)),
        endpoint(B, USER, "10.89.0.3/24", "db", null),
        endpoint(C, DEFAULT, "172.17.0.2/16", "other", null), // the default bridge has no names
        new Endpoint(C, "/ns", USER, null, null, "notyet", null, null, null)); // before its ADD
    assertThat(AardvarkConfig.files(endpoints)).containsExactlyEntriesOf(java.util.Map.of(USER.id(),
        "10.89.0.1\n"
            + A + " 10.89.0.2  web,www,api," + A.substring(0, 12) + "\n"
            + B + " 10.89.0.3  db," + B.substring(0, 12) + "\n"));
    assertThat(AardvarkConfig.listenAddress(AardvarkConfig.files(endpoints).get(USER.id()))).isEqualTo("10.89.0.1");
  }

  @Test
  void aContainerOnTwoNetworksIsALineInEach() throws Exception {
    BridgeNetwork other = new BridgeNetwork("other", "2".repeat(64), "br-222222222222", "10.90.0.0/24", "10.90.0.1",
        null);
    var files = AardvarkConfig.files(List.of(endpoint(A, USER, "10.89.0.2/24", "web", null),
        endpoint(A, other, "10.90.0.5/24", "web", new EndpointConfig(List.of("api"), null))));
    assertThat(files.get(USER.id())).endsWith(A + " 10.89.0.2  web," + A.substring(0, 12) + "\n");
    assertThat(files.get(other.id())).isEqualTo("10.90.0.1\n" + A + " 10.90.0.5  web,api," + A.substring(0, 12) + "\n");
  }

  @Test
  void noNamesNoFiles() throws Exception {
    assertThat(AardvarkConfig.files(List.of(endpoint(C, DEFAULT, "172.17.0.2/16", "other", null)))).isEmpty();
  }

  private static Endpoint endpoint(String id, BridgeNetwork n, String cidr, String name, EndpointConfig config)
      throws Exception {
    var result = new ObjectMapper().readTree("{\"ips\":[{\"address\":\"" + cidr + "\",\"gateway\":\"" + n.gateway()
        + "\"}]}");
    return new Endpoint(id, "/ns", n, null, result, name, config, null, null);
  }
}
