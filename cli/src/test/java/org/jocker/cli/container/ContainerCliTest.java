package org.jocker.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** inspect, exec, top, stats, cp, port and the `container` group as a user runs them. */
class ContainerCliTest extends CliTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private Process background;

  @AfterEach
  void cleanUp() throws Exception {
    jocker.removeAllContainers();
    if (background != null) {
      assertThat(background.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** `run --name NAME busybox sh -c SCRIPT` in its own process; returns once the container runs. */
  private void runInBackground(String name, String script) throws Exception {
    background = jocker.process("run", "--name", name, "busybox", "sh", "-c", script)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    for (int i = 0; i < 400; i++) {
      Jocker.Result r = jocker.run("inspect", "-f", "{{.State.Status}}", name);
      if (r.code() == 0 && r.out().strip().equals("running")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + " did not start");
  }

  @Test
  void inspectOfAnExitedContainerAndOfAnImage() throws Exception {
    assertThat(jocker.run("run", "--name", "done", "-e", "FOO=bar", "busybox", "sh", "-c", "exit 3").code())
        .isEqualTo(3);
    JsonNode all = JSON.readTree(jocker.ok("inspect", "done").out());
    assertThat(all).hasSize(1);
    assertThat(all.get(0).at("/State/Status").asText()).isEqualTo("exited");
    assertThat(all.get(0).at("/State/StartedAt").asText()).isNotEqualTo("0001-01-01T00:00:00Z");
    assertThat(all.get(0).get("Name").asText()).isEqualTo("/done");
    assertThat(jocker.ok("inspect", "-f", "{{.State.ExitCode}} {{.State.Running}} {{.State.Pid}}", "done").out())
        .isEqualTo("3 false 0\n");
    JsonNode config = JSON.readTree(jocker.ok("container", "inspect", "--format", "{{json .Config}}", "done").out());
    assertThat(config.get("Image").asText()).isEqualTo("busybox");
    assertThat(config.get("Cmd").toString()).isEqualTo("[\"sh\",\"-c\",\"exit 3\"]");
    assertThat(jocker.ok("inspect", "-f", "{{range .Config.Env}}{{.}} {{end}}", "done").out())
        .startsWith("PATH=").contains("FOO=bar ").contains("HOSTNAME=");

    JsonNode image = JSON.readTree(jocker.ok("inspect", "busybox").out()).get(0);
    assertThat(image.get("Id").asText()).startsWith("sha256:");
    assertThat(image.get("RepoTags").toString()).contains("busybox:latest");
    assertThat(jocker.ok("inspect", "--type", "image", "-f", "{{.Id}}", "busybox").out()).startsWith("sha256:");

    Jocker.Result missing = jocker.run("inspect", "nope");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.out().strip()).isEqualTo("[]");
    assertThat(missing.err()).isEqualTo("Error: No such object: nope\n");
    Jocker.Result wrongType = jocker.run("inspect", "--type", "image", "done");
    assertThat(wrongType.code()).isEqualTo(1);
    assertThat(wrongType.err()).contains("Error: No such image: done");
    Jocker.Result some = jocker.run("inspect", "-f", "{{.Name}}", "done", "nope");
    assertThat(some.code()).isEqualTo(1);
    assertThat(some.out()).isEqualTo("/done\n");

    JsonNode sized = JSON.readTree(jocker.ok("inspect", "-s", "done").out()).get(0);
    assertThat(sized.get("SizeRootFs").asLong()).isGreaterThan(sized.get("SizeRw").asLong());
    assertThat(jocker.ok("port", "done").out()).isEmpty();
    Jocker.Result exec = jocker.run("exec", "done", "true");
    assertThat(exec.code()).isEqualTo(1);
    assertThat(exec.err()).contains("is not running");
    assertThat(jocker.ok("container", "ls", "-a", "-q").out().strip()).matches("[0-9a-f]{12}");
    Jocker.Result prune = jocker.ok("container", "prune", "-f");
    assertThat(prune.out()).startsWith("Deleted Containers:\n" + all.get(0).get("Id").asText() + "\n\n")
        .contains("Total reclaimed space: ");
    assertThat(jocker.ok("ps", "-aq").out()).isEmpty();
  }

  @Test
  void execTopStatsAndCpOnARunningContainer() throws Exception {
    runInBackground("live", "sleep 600; exit 0");
    int pid = Integer.parseInt(jocker.ok("inspect", "-f", "{{.State.Pid}}", "live").out().strip());
    assertThat(pid).isPositive();

    Jocker.Result exec = jocker.exec("exec", "-e", "X=y", "-u", "nobody", "-w", "/tmp", "live",
        "sh", "-c", "echo $X $(id -u) $(pwd); cat /proc/1/cmdline; exit 5");
    assertThat(exec.code()).isEqualTo(5);
    assertThat(exec.out()).isEqualTo("y 65534 /tmp\nsh\0-c\0sleep 600; exit 0\0");
    assertThat(jocker.exec("exec", "live", "no-such-command").code()).isEqualTo(127);
    assertThat(jocker.exec("container", "exec", "-d", "live", "sleep", "5").code()).isZero();

    List<String> top = jocker.ok("top", "live").out().lines().toList();
    assertThat(top.get(0).split("\\s+")).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
    assertThat(top).anySatisfy(l -> assertThat(l.split("\\s+")[1]).isEqualTo(Integer.toString(pid)));
    assertThat(top).anySatisfy(l -> assertThat(l).endsWith("sleep 600"));
    assertThat(jocker.ok("container", "top", "live", "-o", "pid,comm").out().lines().findFirst().orElseThrow()
        .split("\\s+")).containsExactly("PID", "COMMAND");

    List<String> stats = jocker.ok("stats", "--no-stream", "live").out().lines().toList();
    assertThat(stats).hasSize(2);
    assertThat(stats.get(0)).containsSubsequence("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %",
        "NET I/O", "BLOCK I/O", "PIDS");
    assertThat(stats.get(1)).contains("live").containsPattern("[0-9.]+[KMG]iB / [0-9.]+[KMG]iB")
        .contains("0B / 0B");
    String pids = jocker.ok("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", "live").out().strip();
    assertThat(pids).startsWith("live ");
    assertThat(Integer.parseInt(pids.substring(5))).isGreaterThanOrEqualTo(1);

    // cp: a symlink to / inside the container resolves to the container's root, not the host's
    assertThat(jocker.exec("exec", "live", "sh", "-c",
        "ln -s / /tmp/root && mkdir -p /d/sub && echo b > /d/sub/b && echo in-container > /etc/motd").code()).isZero();
    String containerPasswd = jocker.exec("exec", "live", "cat", "/etc/passwd").out();
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    jocker.ok("cp", "live:/tmp/root/etc/passwd", out.resolve("passwd").toString());
    assertThat(Files.readString(out.resolve("passwd"))).isEqualTo(containerPasswd)
        .isNotEqualTo(Files.readString(Path.of("/etc/passwd")));
    jocker.ok("cp", "live:/tmp/root/etc/motd", out.toString());
    assertThat(Files.readString(out.resolve("motd"))).isEqualTo("in-container\n");
    jocker.ok("container", "cp", "live:/d", out.resolve("copy").toString());
    assertThat(Files.readString(out.resolve("copy/sub/b"))).isEqualTo("b\n");

    Path in = tmp.resolve("in");
    Files.createDirectories(in.resolve("dir/inner"));
    Files.writeString(in.resolve("file.txt"), "hello\n");
    Files.writeString(in.resolve("dir/inner/f"), "deep\n");
    jocker.ok("cp", in.resolve("file.txt").toString(), "live:/tmp/root/root/");
    jocker.ok("cp", in.resolve("dir").toString(), "live:/newdir");
    assertThat(jocker.exec("exec", "live", "sh", "-c", "cat /root/file.txt /newdir/inner/f; stat -c %u /newdir/inner/f")
        .out()).isEqualTo("hello\ndeep\n0\n");
    assertThat(Files.exists(Path.of("/root/file.txt"))).isFalse();

    // "-": a tar stream out on stdout, and back in from stdin
    Path tar = tmp.resolve("d.tar");
    Process p = jocker.process("cp", "live:/d", "-").redirectOutput(tar.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Jocker.tool(tmp, "tar", "-tf", tar.toString()).lines().toList())
        .containsExactly("d/", "d/sub/", "d/sub/b");
    Process back = jocker.process("cp", "-", "live:/tmp").redirectInput(tar.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    assertThat(back.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(back.exitValue()).isZero();
    assertThat(jocker.exec("exec", "live", "cat", "/tmp/d/sub/b").out()).isEqualTo("b\n");

    Jocker.Result none = jocker.run("cp", "live:/no/such", out.toString());
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).contains("Could not find the file /no/such in container live");
  }
}
