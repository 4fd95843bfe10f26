package org.jocker.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import org.jocker.engine.EngineException;
import org.junit.jupiter.api.Test;

class MacAddressTest {
  @Test
  void eui48WithColonsOrDashesIsTakenInLowerCaseWithColons() {
    assertThat(MacAddress.parse("92:D0:c6:0a:29:33")).isEqualTo("92:d0:c6:0a:29:33");
    assertThat(MacAddress.parse("92-d0-c6-0a-29-33")).isEqualTo("92:d0:c6:0a:29:33");
    assertThat(MacAddress.bytes("92:d0:c6:0a:29:33")).containsExactly(0x92, 0xd0, 0xc6, 0x0a, 0x29, 0x33);
  }

  @Test
  void anythingElseIsDockersClientsError() {
    for (String bad : new String[] {"92:d0:c6:0a:29", "92:d0:c6:0a:29:33:44", "92:d0-c6:0a:29:33", "zz:d0:c6:0a:29:33",
        "92d0.c60a.2933", "bridge"}) {
      assertThatThrownBy(() -> MacAddress.parse(bad)).isInstanceOf(EngineException.class)
          .hasMessage(bad + " is not a valid mac address");
    }
  }

  @Test
  void dockersOwnIs0242AndTheAddress() throws Exception {
    Inet4Address ip = (Inet4Address) InetAddress.getByName("172.17.0.2");
    assertThat(MacAddress.format(MacAddress.derived(ip))).isEqualTo("02:42:ac:11:00:02");
  }
}
