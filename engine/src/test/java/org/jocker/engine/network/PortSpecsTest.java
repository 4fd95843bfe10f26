package org.jocker.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
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

  @Test
  void rangesAreOneBindingPerPortOrTheFirstFreeOfAHostRange() {
    assertThat(PortSpecs.parseAll("127.0.0.1:8000-8001:80-81")).containsExactly(
        new PortBinding("127.0.0.1", 8000, 80, "tcp"), new PortBinding("127.0.0.1", 8001, 81, "tcp"));
    assertThat(PortSpecs.parseAll("80-81/udp")).containsExactly(
        new PortBinding("", null, 80, "udp"), new PortBinding("", null, 81, "udp"));
    PortBinding range = PortSpecs.parse("8000-8010:80");
    assertThat(range).isEqualTo(new PortBinding("", 8000, 80, "tcp", 8010, false));
    assertThat(range.shownHostPort()).isEqualTo("8000-8010");
    assertThatThrownBy(() -> PortSpecs.parseAll("8000-8001:80-82"))
        .hasMessage("invalid ranges specified for container and host Ports: 80-82 and 8000-8001");
    assertThatThrownBy(() -> PortSpecs.parseAll("81-80")).hasMessage("invalid containerPort: 81-80");
  }

  @Test
  void publishAllAddsAnEphemeralBindingForEachExposedPortNotPublished() {
    List<PortBinding> asked = List.of(new PortBinding("", 8080, 80, "tcp"));
    assertThat(PortSpecs.publishAll(asked, Set.of("80/tcp", "53/udp", "443/tcp"))).containsExactly(
        asked.get(0), new PortBinding("", null, 443, "tcp", null, true), new PortBinding("", null, 53, "udp", null, true));
  }
}
