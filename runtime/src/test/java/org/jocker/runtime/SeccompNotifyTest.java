package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.runtime.launch.Stdio;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Seccomp user notification (SCMP_ACT_NOTIFY) on the real kernel: a Python agent gets each
 * process's listener at linux.seccomp.listenerPath and answers the notified calls itself.
 */
class SeccompNotifyTest extends KernelTestBase {
  private Process agent;

  @AfterEach
  void stopAgent() throws InterruptedException {
    if (agent != null) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Starts the agent on tmp/agent.sock; what it receives goes to tmp/agent.log, a line a process. */
  private Path startAgent() throws Exception {
    Path script = tmp.resolve("seccomp-agent.py");
    try (InputStream in = getClass().getResourceAsStream("seccomp-agent.py")) {
      Files.copy(in, script);
    }
    Path socket = tmp.resolve("agent.sock");
    agent = new ProcessBuilder("python3", script.toString(), socket.toString(), tmp.resolve("agent.log").toString())
        .inheritIO().start();
    for (int i = 0; i < 500 && !Files.exists(socket); i++) {
      Thread.sleep(10);
    }
    assertThat(socket).exists();
    return socket;
  }

  /**
   * The agent's log once it holds at least {@code count} whole lines: the monitor has sent a
   * message when the runtime returns, but the agent writes it down in its own time.
   */
  private List<JsonNode> received(int count) throws IOException, InterruptedException {
    Path log = tmp.resolve("agent.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<String> lines;
    while (true) {
      String content = Files.exists(log) ? Files.readString(log) : "";
      lines = content.lines().limit(content.chars().filter(c -> c == '\n').count()).toList();
      if (lines.size() >= count || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(20);
    }
    return lines.stream().map(line -> {
      try {
        return JSON.readTree(line);
      } catch (IOException e) {
        throw new IllegalStateException(line, e);
      }
    }).toList();
  }

  static void notifyProfile(ObjectNode j, String listenerPath) {
    ObjectNode s = linux(j).putObject("seccomp").put("defaultAction", "SCMP_ACT_ALLOW")
        .put("listenerPath", listenerPath).put("listenerMetadata", "meta \"data\"");
    s.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32");
    s.putArray("syscalls").addObject().put("action", "SCMP_ACT_NOTIFY")
        .putArray("names").add("mkdir").add("mkdirat").add("rmdir");
  }

  @ParameterizedTest(name = "noNewPrivileges={0}")
  @ValueSource(booleans = {true, false})
  void theAgentAnswersForTheInitAndAnExecdProcess(boolean nnp) throws Exception {
    Path socket = startAgent();
    Bundle b = shBundle("mkdir /tmp/faked; echo mkdir=$?; [ -d /tmp/faked ] && echo made || echo not-made;"
        + " rmdir /tmp; echo rmdir=$?; grep Seccomp: /proc/self/status; sleep 60", j -> {
          notifyProfile(j, socket.toString());
          process(j).put("noNewPrivileges", nnp);
        });
    String id = newId("notify");
    ContainerState created = rt.create(id, b.dir(), CreateOptions.DEFAULT);

    JsonNode init = received(1).getFirst();
    assertThat(init.get("ociVersion").asText()).isEqualTo("1.0.2");
    assertThat(init.get("fds").toString()).isEqualTo("[\"seccompFd\"]");
    assertThat(init.get("pid").asInt()).isEqualTo(created.pid());
    assertThat(init.get("metadata").asText()).isEqualTo("meta \"data\"");
    JsonNode state = init.get("state");
    assertThat(state.get("id").asText()).isEqualTo(id);
    assertThat(state.get("status").asText()).isEqualTo("creating");
    assertThat(state.get("pid").asInt()).isEqualTo(created.pid());
    assertThat(state.get("bundle").asText()).isEqualTo(b.dir().toAbsolutePath().normalize().toString());

    rt.start(id);
    for (int i = 0; i < 500 && !readIfExists(b.out().resolve("stdout")).contains("Seccomp:"); i++) {
      Thread.sleep(10);
    }
    // The agent said yes to mkdir without making the directory, and no (its own errno) to rmdir.
    assertThat(readIfExists(b.out().resolve("stdout")).lines().toList())
        .containsExactly("mkdir=0", "not-made", "rmdir=1", "Seccomp:\t2");
    assertThat(readIfExists(b.out().resolve("stderr"))).contains("No medium found");

    Spec.Process exec = new Spec.Process(false, null, null,
        List.of("sh", "-c", "mkdir /tmp/e && [ ! -d /tmp/e ] && echo exec-faked > /out/exec"),
        List.of("PATH=/bin"), "/", null, null, null, null, null, null);
    assertThat(rt.awaitExec(rt.exec(id, exec, new ExecOptions(null, Stdio.INHERIT, false))).code()).isZero();
    assertThat(b.read("exec")).isEqualTo("exec-faked\n");
    JsonNode forExec = received(2).get(1);
    assertThat(forExec.get("pid").asInt()).isNotEqualTo(created.pid());
    assertThat(forExec.get("state").get("status").asText()).isEqualTo("running");
    assertThat(forExec.get("state").get("pid").asInt()).isEqualTo(created.pid());
  }

  /** runc's rule: without an agent to answer, the create fails, naming the socket, and leaves nothing. */
  @Test
  void noAgentFailsTheCreate() throws Exception {
    Path socket = tmp.resolve("nobody.sock");
    Bundle b = shBundle("true", j -> notifyProfile(j, socket.toString()));
    String id = newId("notify");
    assertThatThrownBy(() -> rt.create(id, b.dir(), CreateOptions.DEFAULT))
        .isInstanceOf(OciRuntimeException.class)
        .hasMessageContaining("failed to connect with seccomp agent specified in the seccomp profile: " + socket)
        .hasMessageContaining("No such file or directory")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(rt.list()).isEmpty();
  }
}
