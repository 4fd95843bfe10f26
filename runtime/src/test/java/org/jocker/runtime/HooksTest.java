package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jocker.runtime.state.ContainerState.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OCI hooks: where each runs, what it gets on stdin, and what its failure does. */
class HooksTest extends KernelTestBase {
  static final List<String> PHASES =
      List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");

  /** A hook script that logs its phase and dumps its stdin and hostname into {@code dir}. */
  static Path hookScript(Path dir, String phase, int exit) throws Exception {
    Path script = dir.resolve(phase + ".sh");
    Files.writeString(script, "#!/bin/sh\necho " + phase + " >> " + dir + "/order\ncat > " + dir + "/" + phase
        + ".json\nhostname > " + dir + "/" + phase + ".host\nexit " + exit + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  static void addHook(ObjectNode j, String phase, Path script) {
    j.withObject("/hooks").withArray(phase).addObject().put("path", script.toString());
  }

  @Test
  void everyPhaseRunsInOrderWithTheState() throws Exception {
    Bundle b = shBundle("read go < /out/go; echo main >> /out/order", j -> {});
    host("mkfifo", "-m", "666", b.out().resolve("go").toString()); // keeps it running until poststart is done
    Path hooks = Files.createDirectories(tmp.resolve("hooks"));
    editConfig(b.dir(), j -> {
      for (String phase : PHASES) {
        try {
          // startContainer runs after pivot_root: its path resolves in the container (/out)
          Path dir = phase.equals("startContainer") ? b.out() : hooks;
          Path script = hookScript(dir, phase, 0);
          addHook(j, phase, phase.equals("startContainer") ? Path.of("/out", script.getFileName().toString()) : script);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    // startContainer writes into the container's /out (b.out()); rewrite its script's paths
    Path start = b.out().resolve("startContainer.sh");
    Files.writeString(start, Files.readString(start).replace(b.out().toString(), "/out"));
    String id = newId("hooks");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    int pid = rt.state(id).pid();
    rt.start(id);
    Files.writeString(b.out().resolve("go"), "go\n");
    rt.awaitExit(id);
    rt.delete(id, false);
    assertThat(rt.drainWarnings()).isEmpty();

    String hostHostname = host("hostname").trim();
    assertThat(Files.readString(hooks.resolve("prestart.host")).trim()).isEqualTo(hostHostname);
    assertThat(Files.readString(hooks.resolve("createRuntime.host")).trim()).isEqualTo(hostHostname);
    assertThat(Files.readString(hooks.resolve("createContainer.host")).trim()).isEqualTo("jocker");
    assertThat(Files.readString(b.out().resolve("startContainer.host")).trim()).isEqualTo("jocker");
    for (String phase : PHASES) {
      Path json = (phase.equals("startContainer") ? b.out() : hooks).resolve(phase + ".json");
      JsonNode state = JSON.readTree(json.toFile());
      assertThat(state.path("id").asText()).as(phase).isEqualTo(id);
      assertThat(state.path("bundle").asText()).as(phase).isEqualTo(b.dir().toString());
      if (!phase.equals("poststop")) {
        assertThat(state.path("pid").asInt()).as(phase).isEqualTo(pid);
      }
    }
    assertThat(JSON.readTree(hooks.resolve("poststop.json").toFile()).path("status").asText()).isEqualTo("stopped");
    List<String> order = Files.readAllLines(hooks.resolve("order"));
    assertThat(order).containsExactly("prestart", "createRuntime", "createContainer", "poststart", "poststop");
    assertThat(Files.readAllLines(b.out().resolve("order"))).containsExactly("startContainer", "main");
  }

  /** runc's bats "seccomp (startContainer hook)": the hook runs under the container's filter, which kills it. */
  @Test
  void aStartContainerHookKilledBySeccompFailsInRuncsWords() throws Exception {
    Bundle b = shBundle("touch /out/ran", j -> {
      ObjectNode seccomp = linux(j).putObject("seccomp").put("defaultAction", "SCMP_ACT_ALLOW");
      seccomp.putArray("syscalls").addObject().put("action", "SCMP_ACT_KILL").putArray("names").add("mkdir").add("mkdirat");
      j.withObject("/hooks").withArray("startContainer").addObject().put("path", "/bin/sh")
          .putArray("args").add("sh").add("-c").add("mkdir /tmp/hooked");
    });
    String id = newId("sighook");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    assertThatThrownBy(() -> rt.start(id))
        .hasMessageContaining("error running hook #0 (startContainer /bin/sh): signal: bad system call");
    assertThat(b.out().resolve("ran")).doesNotExist();
  }

  @Test
  void failingPoststartAndPoststopAreWarnings() throws Exception {
    Path hooks = Files.createDirectories(tmp.resolve("hooks"));
    Path poststart = hookScript(hooks, "poststart", 3);
    Path poststop = hookScript(hooks, "poststop", 4);
    Bundle b = shBundle("sleep 0.2", j -> {
      addHook(j, "poststart", poststart);
      addHook(j, "poststop", poststop);
    });
    String id = newId("warn");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    rt.start(id);
    assertThat(rt.state(id).status()).isIn(Status.running, Status.stopped);
    assertThat(rt.drainWarnings()).singleElement().asString().contains("poststart", poststart.toString(), "3");
    assertThat(rt.awaitExit(id).code()).isZero();
    rt.delete(id, false);
    assertThat(rt.drainWarnings()).singleElement().asString().contains("poststop", poststop.toString(), "4");
    assertThat(rt.list()).isEmpty();
  }

  /**
   * A failing createRuntime hook (run by the runtime, on the host) or createContainer hook (run by
   * the init, in the container's namespaces) fails create: the init is gone, the container never
   * ran, and no state or cgroup is left. Each failure names the hook and why it failed.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"createRuntime, 1, exit status 1", "createContainer, 2, exit status 2"})
  void failingCreateHookFailsCreateAndLeavesNothing(String phase, int exit, String why) throws Exception {
    Path hooks = Files.createDirectories(tmp.resolve("hooks"));
    Path bad = hookScript(hooks, phase, exit);
    Bundle b = shBundle("touch /out/ran", j -> addHook(j, phase, bad));
    String id = newId("badhook");
    assertThatThrownBy(() -> rt.create(id, b.dir(), CreateOptions.DEFAULT))
        .hasMessageContaining("error running hook #0 (" + phase + " " + bad + "): " + why);
    int pid = JSON.readTree(hooks.resolve(phase + ".json").toFile()).path("pid").asInt();
    assertThat(pid).isPositive();
    for (int i = 0; i < 300 && ProcessHandle.of(pid).isPresent(); i++) {
      Thread.sleep(10);
    }
    assertThat(ProcessHandle.of(pid)).isEmpty();
    assertThat(rt.list()).isEmpty();
    assertThat(tmp.resolve("state").resolve(id)).doesNotExist();
    assertThat(leftoverCgroups()).isEmpty();
    assertThat(b.out().resolve("ran")).doesNotExist();
  }
}
