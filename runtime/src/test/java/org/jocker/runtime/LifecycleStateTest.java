package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jocker.runtime.linux.Signal;
import org.jocker.runtime.state.ContainerState.Status;
import org.jocker.runtime.state.ExitStatus;
import org.junit.jupiter.api.Test;

/** The state machine seen through state(), against what the kernel says. */
class LifecycleStateTest extends KernelTestBase {

  String create(Bundle b, String name) {
    String id = newId(name);
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    return id;
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  static void awaitGone(long pid) throws InterruptedException {
    for (int i = 0; i < 500 && alive(pid); i++) {
      Thread.sleep(10);
    }
  }

  @Test
  void createdRunningStopped() throws Exception {
    Bundle b = shBundle("read line < /out/go; exit 5", j -> {});
    Path fifo = b.out().resolve("go");
    host("mkfifo", "-m", "666", fifo.toString());
    String id = create(b, "life");
    var created = rt.state(id);
    assertThat(created.status()).isEqualTo(Status.created);
    assertThat(created.pid()).isPositive();
    assertThat(Files.readSymbolicLink(Path.of("/proc/" + created.pid() + "/exe")).toString()).contains("jocker-launcher");
    rt.start(id);
    assertThat(rt.state(id).status()).isEqualTo(Status.running);
    assertThatThrownBy(() -> rt.start(id)).hasMessageContaining(id).hasMessageContaining("running");
    Files.writeString(fifo, "go\n");
    ExitStatus exit = rt.awaitExit(id);
    assertThat(exit.code()).isEqualTo(5);
    assertThat(rt.state(id).status()).isEqualTo(Status.stopped);
    assertThat(rt.state(id).pid()).isZero();
    assertThatThrownBy(() -> rt.kill(id, 15, false)).hasMessageContaining(id).hasMessageContaining("not running");
  }

  @Test
  void sigtermAndSigkillGive128PlusSignal() throws Exception {
    // pid 1 of a pid namespace ignores SIGTERM without a handler: share the host pid ns for it
    String term = create(shBundle("exec sleep 60", j -> removeNamespace(j, "pid")), "term");
    rt.start(term);
    rt.kill(term, Signal.SIGTERM.number(), false);
    ExitStatus t = rt.awaitExit(term);
    assertThat(t.code()).isEqualTo(143);
    assertThat(t.signal()).isEqualTo(15);

    String kill = create(shBundle("sleep 60", j -> {}), "kill");
    rt.start(kill);
    rt.kill(kill, Signal.SIGKILL.number(), false);
    assertThat(rt.awaitExit(kill).code()).isEqualTo(137);
    assertThat(rt.state(kill).status()).isEqualTo(Status.stopped);
  }

  @Test
  void stateSurvivesTheMonitorBeingKilled() throws Exception {
    String id = create(shBundle("sleep 60", j -> {}), "nomon");
    rt.start(id);
    int pid = rt.state(id).pid();
    int monitor = monitorPid(id);
    ProcessHandle.of(monitor).orElseThrow().destroyForcibly();
    awaitGone(monitor);
    assertThat(alive(monitor)).isFalse();
    assertThat(alive(pid)).isTrue();
    assertThat(rt.state(id).status()).isEqualTo(Status.running);
    rt.kill(id, Signal.SIGKILL.number(), false);
    awaitGone(pid);
    assertThat(rt.state(id).status()).isEqualTo(Status.stopped);
    assertThatThrownBy(() -> rt.awaitExit(id)).hasMessageContaining("exit status unknown");
    rt.delete(id, false);
    assertThat(rt.list()).isEmpty();
  }

  @Test
  void initKilledFromOutside() throws Exception {
    String id = create(shBundle("sleep 60", j -> {}), "outside");
    rt.start(id);
    int pid = rt.state(id).pid();
    host("kill", "-KILL", Integer.toString(pid));
    assertThat(rt.awaitExit(id).code()).isEqualTo(137);
    assertThat(rt.state(id).status()).isEqualTo(Status.stopped);
  }

  @Test
  void deleteOfARunningContainerNeedsForce() throws Exception {
    String id = create(shBundle("sleep 60", j -> {}), "del");
    rt.start(id);
    int pid = rt.state(id).pid();
    assertThatThrownBy(() -> rt.delete(id, false))
        .isInstanceOf(OciRuntimeException.class)
        .hasMessage("cannot delete container " + id + " that is not stopped: running");
    assertThat(rt.state(id).status()).isEqualTo(Status.running);
    rt.delete(id, true);
    awaitGone(pid);
    assertThat(alive(pid)).isFalse();
    assertThat(rt.list()).isEmpty();
    assertThat(leftoverCgroups()).isEmpty();
    assertThat(tmp.resolve("state").resolve(id)).doesNotExist();
  }

  @Test
  void forceDeleteOfAPausedContainer() throws Exception {
    String id = create(shBundle("sleep 60 & wait", j -> {}), "paused");
    rt.start(id);
    rt.pause(id);
    assertThat(rt.state(id).status()).isEqualTo(Status.paused);
    var pids = rt.processes(id);
    rt.delete(id, true);
    for (long p : pids) {
      awaitGone(p);
      assertThat(alive(p)).as("pid " + p).isFalse();
    }
    assertThat(leftoverCgroups()).isEmpty();
  }

  @Test
  void twoContainersAtOnce() throws Exception {
    String a = create(shBundle("sleep 60", j -> j.put("hostname", "one")), "two-a");
    String b = create(shBundle("sleep 60", j -> j.put("hostname", "two")), "two-b");
    rt.start(a);
    rt.start(b);
    assertThat(rt.list()).extracting(s -> s.status()).containsOnly(Status.running);
    assertThat(rt.list()).hasSize(2);
    assertThat(rt.state(a).pid()).isNotEqualTo(rt.state(b).pid());
    rt.kill(a, 9, false);
    rt.awaitExit(a);
    assertThat(rt.state(a).status()).isEqualTo(Status.stopped);
    assertThat(rt.state(b).status()).isEqualTo(Status.running);
  }

  @Test
  void aCreatedContainerIsNotStoppedSoOnlyAForcedDeleteRemovesIt() throws Exception {
    Bundle bundle = shBundle("touch /out/ran", j -> {});
    String id = create(bundle, "never");
    int pid = rt.state(id).pid();
    int monitor = monitorPid(id);
    assertThatThrownBy(() -> rt.delete(id, false))
        .isInstanceOf(OciRuntimeException.class)
        .hasMessage("cannot delete container " + id + " that is not stopped: created");
    assertThat(rt.state(id).status()).isEqualTo(Status.created);
    assertThat(alive(pid)).isTrue();
    rt.delete(id, true);
    awaitGone(pid);
    awaitGone(monitor);
    assertThat(alive(pid)).isFalse();
    assertThat(alive(monitor)).isFalse();
    assertThat(bundle.out().resolve("ran")).doesNotExist();
    assertThat(rt.list()).isEmpty();
  }

  @Test
  void awaitExitReturnsAfterTheProcessEnds() throws Exception {
    String id = create(shBundle("sleep 0.3", j -> {}), "await");
    long t0 = System.nanoTime();
    rt.start(id);
    assertThat(rt.awaitExit(id).code()).isZero();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(250);
  }
}
