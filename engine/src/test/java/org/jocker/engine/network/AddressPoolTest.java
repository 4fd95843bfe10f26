package org.jocker.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jocker.engine.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressPoolTest {
  private static final BridgeNetwork SMALL =
      new BridgeNetwork("small", null, "br-small", "10.9.0.0/29", "10.9.0.1", null);

  @TempDir Path ipam;

  @Test
  void handsOutHostAddressesAfterTheGatewayAndKeepsThemAsHostLocalDoes() throws Exception {
    AddressPool pool = new AddressPool(ipam, SMALL);

    assertThat(pool.reserve("aaa")).isEqualTo("10.9.0.2");
    assertThat(pool.reserve("bbb")).isEqualTo("10.9.0.3");
    assertThat(pool.reserve("aaa")).as("a container keeps its address").isEqualTo("10.9.0.2");
    assertThat(Files.readString(ipam.resolve("small/10.9.0.2"))).isEqualTo("aaa\r\neth0");
    assertThat(Files.readString(ipam.resolve("small/last_reserved_ip.0"))).isEqualTo("10.9.0.3");
  }

  @Test
  void aReleasedAddressComesBackOnlyAfterTheOthersWentRound() {
    AddressPool pool = new AddressPool(ipam, SMALL);
    pool.reserve("a");
    pool.reserve("b");
    pool.release("a");

    assertThat(pool.reserve("c")).isEqualTo("10.9.0.4");
    assertThat(pool.reserve("d")).isEqualTo("10.9.0.5");
    assertThat(pool.reserve("e")).isEqualTo("10.9.0.6");
    assertThat(pool.reserve("f")).as("round again: .2 is free, .7 is the broadcast").isEqualTo("10.9.0.2");
    assertThatThrownBy(() -> pool.reserve("g"))
        .isInstanceOf(EngineException.class)
        .hasMessage("no available IPv4 addresses on this network's address pools: small (" + SMALL.id() + ")");
    pool.release("nobody");
    pool.release("c");
    assertThat(pool.reserve("g")).isEqualTo("10.9.0.4");
  }

  @Test
  void poolsOfOneNetworkInSeveralThreadsNeverHandOutAnAddressTwice() throws Exception {
    BridgeNetwork wide = new BridgeNetwork("wide", null, "br-wide", "10.10.0.0/24", "10.10.0.1", null);
    Set<String> given = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 25; i++) {
          assertThat(given.add(new AddressPool(ipam, wide).reserve("c" + thread + "-" + i))).isTrue();
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(given).hasSize(100).doesNotContain("10.10.0.1", "10.10.0.0", "10.10.0.255");
  }
}
