package org.jocker.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkCreationTest {
  @Test
  void mtuOptionIsCheckedAsDockersBridgeDriverDoes() {
    assertThatThrownBy(() -> withMtu("abc").checkMtu())
        .hasMessage("failed to parse com.docker.network.driver.mtu value: abc (strconv.Atoi: parsing \"abc\": invalid"
            + " syntax)");
    assertThatThrownBy(() -> withMtu("-2").checkMtu()).hasMessage("invalid MTU number: -2");
    assertThatThrownBy(() -> withMtu("65536").checkMtu()).hasMessage("invalid MTU number: 65536");
    withMtu("9000").checkMtu();
    BridgeNetwork defaults = new BridgeNetwork("n", "0".repeat(64), "br0", "10.1.0.0/16", "10.1.0.1", null);
    assertThat(defaults.mtu()).isEqualTo(1500);
    assertThat(new BridgeNetwork("n", "0".repeat(64), "br0", "10.1.0.0/16", "10.1.0.1", null, false, null, null,
        Map.of(NetworkCreation.MTU_OPTION, "0")).mtu()).as("0: the default").isEqualTo(1500);
    assertThat(new BridgeNetwork("n", "0".repeat(64), "br0", "10.1.0.0/16", "10.1.0.1", null, false, null, null,
        Map.of(NetworkCreation.MTU_OPTION, "9000")).mtu()).isEqualTo(9000);
  }

  private static NetworkCreation withMtu(String mtu) {
    return new NetworkCreation("n", null, null, null, null, false, null, Map.of(NetworkCreation.MTU_OPTION, mtu));
  }
}
