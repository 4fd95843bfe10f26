package org.jocker.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jocker.engine.EngineException;
import org.jocker.engine.container.HostConfig.PortBinding;
import org.junit.jupiter.api.Test;

class PortSpecsTest {
  @Test
  void dockersForms() {
    assertThat(PortSpecs.parse("80")).isEqualTo(new PortBinding("", null, 80, "tcp"));
    assertThat(PortSpecs.parse("8080:80")).isEqualTo(new PortBinding("", 8080, 80, "tcp"));
    assertThat(PortSpecs.parse("127.0.0.1:8080:80/udp")).isEqualTo(new PortBinding("127.0.0.1", 8080, 80, "udp"));
    assertThat(PortSpecs.parse("127.0.0.1::80")).isEqualTo(new PortBinding("127.0.0.1", null, 80, "tcp"));
    assertThat(PortSpecs.parse("53/UDP").protocol()).isEqualTo("udp");
  }

  @Test
  void badValuesAreInvalidArguments() {
    assertThatThrownBy(() -> PortSpecs.parse("abc")).isInstanceOf(EngineException.class)
        .hasMessage("invalid containerPort: abc");
    assertThatThrownBy(() -> PortSpecs.parse("70000:80")).hasMessage("invalid hostPort: 70000");
    assertThatThrownBy(() -> PortSpecs.parse("80/sctp")).hasMessage("invalid proto: sctp");
    assertThatThrownBy(() -> PortSpecs.parse("1.2.3:80:80")).hasMessage("invalid IP address: 1.2.3");
    assertThatThrownBy(() -> PortSpecs.parse("a:b:c:d")).hasMessage("invalid port format: a:b:c:d");
  }
}
