package org.jocker.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jocker.cli.session.Session;
import org.junit.jupiter.api.Test;

class RemoteSessionTest {
  private final RemoteSession session = new RemoteSession(new int[] {7, 8, 9}, Map.of("A", "1"), Path.of("/work/dir"),
      new ClientLauncherParent(-1, 4242));

  @Test
  void signalsReachSubscribersUntilTheyUnsubscribe() {
    assertThat(session.deliver(15)).as("nobody listens yet").isFalse();
    List<Integer> got = new ArrayList<>();
    Session.Subscription subscription = session.onSignals(got::add);
    assertThat(session.deliver(15)).isTrue();
    assertThat(session.deliver(28)).isTrue();
    subscription.close();
    assertThat(session.deliver(2)).isFalse();
    assertThat(got).containsExactly(15, 28);
  }

  @Test
  void theCallerGoingAwayReachesSubscribersOnceAndLateOnesAtOnce() {
    List<String> got = new ArrayList<>();
    Session.Subscription pull = session.onCallerGone(() -> got.add("pull"));
    Session.Subscription closed = session.onCallerGone(() -> got.add("closed"));
    closed.close();
    session.callerGone();
    session.callerGone();
    assertThat(got).containsExactly("pull");
    session.onCallerGone(() -> got.add("late"));
    assertThat(got).containsExactly("pull", "late");
    pull.close();
  }

  @Test
  void theCallersDescriptorsEnvironmentAndDirectory() throws Exception {
    assertThat(List.of(session.stdin(), session.stdout(), session.stderr())).containsExactly(7, 8, 9);
    assertThat(session.env()).containsExactly(Map.entry("A", "1"));
    assertThat(session.path("a/../b.tar")).isEqualTo(Path.of("/work/dir/b.tar"));
    assertThat(session.path("/abs")).isEqualTo(Path.of("/abs"));
    assertThat(session.pid()).isEqualTo(4242);
    // a process's own files are the client's: `exec -p <(...)`, `update -r /dev/stdin`
    assertThat(session.path("/dev/fd/63")).isEqualTo(Path.of("/proc/4242/fd/63"));
    assertThat(session.path("/proc/self/fd/3")).isEqualTo(Path.of("/proc/4242/fd/3"));
    assertThat(session.path("/proc/self")).isEqualTo(Path.of("/proc/4242"));
    assertThat(session.path("/dev/stdin")).isEqualTo(Path.of("/proc/4242/fd/0"));
    assertThat(session.path("/dev/fdx/1")).isEqualTo(Path.of("/dev/fdx/1"));
    assertThat(session.path("/proc/selfish")).isEqualTo(Path.of("/proc/selfish"));
    assertThat(Session.with(session, Session::current)).isSameAs(session);
  }

  @Test
  void onlyEngineCommandsRunInAFreshJvm() {
    assertThat(ClientConnection.mustRunLocally(List.of("--root", "/r", "runtime", "--log", "/l", "create", "c")))
        .isFalse();
    assertThat(ClientConnection.mustRunLocally(List.of("runtime", "exec", "c", "true"))).isFalse();
    assertThat(ClientConnection.mustRunLocally(List.of("--root", "/r", "engine", "serve"))).isTrue();
    assertThat(ClientConnection.mustRunLocally(List.of("--root", "runtime", "runtime", "state", "c"))).isFalse();
    assertThat(ClientConnection.mustRunLocally(List.of("--root", "/r", "runtime", "list"))).isFalse();
    assertThat(ClientConnection.mustRunLocally(List.of("engine", "stop"))).isTrue();
    assertThat(ClientConnection.mustRunLocally(List.of("--root", "runtime", "ps"))).isFalse();
    assertThat(ClientConnection.mustRunLocally(List.of("run", "busybox", "runtime"))).isFalse();
  }
}
