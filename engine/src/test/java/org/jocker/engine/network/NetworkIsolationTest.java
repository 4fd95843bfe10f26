package org.jocker.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkIsolationTest {
  private static final BridgeNetwork DEFAULT = BridgeNetwork.defaultOn("jocker0", "172.17.0.0/16", "172.17.0.1");
  private static final BridgeNetwork INTERNAL = new BridgeNetwork("in", "i", "br-in", "172.18.0.0/16", "172.18.0.1",
      null, true, null, null, null);

  @Test
  void eachBridgeIsCutFromTheOthersAndAnInternalOneFromEverything() {
    String rules = NetworkIsolation.rules(List.of(DEFAULT, INTERNAL), "-P FORWARD ACCEPT\n");
    assertThat(rules).isEqualTo("""
        *filter
        :JOCKER-ISOLATION-STAGE-1 - [0:0]
        :JOCKER-ISOLATION-STAGE-2 - [0:0]
        -A JOCKER-ISOLATION-STAGE-1 -i br-in ! -o br-in -j DROP
        -A JOCKER-ISOLATION-STAGE-1 -o br-in ! -i br-in -j DROP
        -A JOCKER-ISOLATION-STAGE-1 -i jocker0 ! -o jocker0 -j JOCKER-ISOLATION-STAGE-2
        -A JOCKER-ISOLATION-STAGE-2 -o jocker0 -j DROP
        -A JOCKER-ISOLATION-STAGE-1 -i br-in ! -o br-in -j JOCKER-ISOLATION-STAGE-2
        -A JOCKER-ISOLATION-STAGE-2 -o br-in -j DROP
        -I FORWARD 1 -j JOCKER-ISOLATION-STAGE-1
        COMMIT
        """);
  }

  @Test
  void theForwardJumpIsMovedFirstOnlyWhenItIsNot() {
    String first = "-P FORWARD ACCEPT\n-A FORWARD -j JOCKER-ISOLATION-STAGE-1\n-A FORWARD -j JOCKER-FWD-0123456789ab\n";
    assertThat(NetworkIsolation.rules(List.of(), first)).doesNotContain("FORWARD");
    String behind = "-P FORWARD ACCEPT\n-A FORWARD -j JOCKER-FWD-0123456789ab\n-A FORWARD -j JOCKER-ISOLATION-STAGE-1\n";
    assertThat(NetworkIsolation.rules(List.of(), behind))
        .contains("-D FORWARD -j JOCKER-ISOLATION-STAGE-1\n-I FORWARD 1 -j JOCKER-ISOLATION-STAGE-1\n");
  }
}
