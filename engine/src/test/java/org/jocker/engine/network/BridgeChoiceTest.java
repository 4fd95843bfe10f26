package org.jocker.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeChoiceTest {
  @TempDir Path tmp;

  @Test
  void firstPoolThatNoRouteOverlaps() {
    assertThat(BridgeChoice.firstFree(List.of())).hasToString("172.17.0.0/16");
    assertThat(BridgeChoice.firstFree(List.of(Ipv4Subnet.parse("172.17.5.0/24"), Ipv4Subnet.parse("172.16.0.0/12"))))
        .hasToString("192.168.0.0/20");
    assertThat(BridgeChoice.firstFree(List.of(Ipv4Subnet.parse("172.17.0.0/16"), Ipv4Subnet.parse("172.18.0.1/32"))))
        .hasToString("172.19.0.0/16");
  }

  @Test
  void bipGivesSubnetAndGatewayAndIsKept() {
    BridgeChoice choice = new BridgeChoice(tmp.resolve("network/bridge.json"));
    BridgeNetwork chosen = choice.resolve(new BridgeOptions(null, "10.99.0.1/16"), List.of());
    assertThat(chosen).isEqualTo(BridgeNetwork.defaultOn("jocker0", "10.99.0.0/16", "10.99.0.1"));
    // Later commands without --bip keep it.
    assertThat(new BridgeChoice(tmp.resolve("network/bridge.json")).resolve(new BridgeOptions(null, null), List.of()))
        .isEqualTo(chosen);
    assertThat(choice.resolve(new BridgeOptions("br9", "10.98.0.0/24"), List.of()))
        .isEqualTo(BridgeNetwork.defaultOn("br9", "10.98.0.0/24", "10.98.0.1"));
  }
}
