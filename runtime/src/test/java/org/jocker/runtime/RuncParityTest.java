package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jocker.runtime.cgroup.CgroupLayout;
import org.jocker.runtime.cgroup.CgroupManager;
import org.jocker.runtime.cgroup.Cgroups;
import org.jocker.runtime.cgroup.Hierarchy;
import org.jocker.runtime.launch.Stdio;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerState.Status;
import org.junit.jupiter.api.Test;

/** Behaviours where runc 1.1 is the reference: what it allows, refuses and how. */
class RuncParityTest extends KernelTestBase {

  /** runc: unified on a host that is not purely cgroup2 is an invalid configuration. */
  @Test
  void unifiedKeysOfAV1ControllerAreAnInvalidConfiguration() throws Exception {
    assumeTrue(CgroupLayout.detect().hierarchyFor("memory").filter(h -> !h.unified()).isPresent(),
        "needs memory on a cgroup v1 hierarchy");
    Bundle b = shBundle("true", j -> linux(j).withObject("/resources").withObject("/unified")
        .put("memory.max", "100000000"));
    String id = newId("unified");
    assertThatThrownBy(() -> rt.create(id, b.dir(), CreateOptions.DEFAULT))
        .hasMessageContaining("invalid configuration: cannot use unified on cgroup v1")
        .hasMessageContaining("memory.max");
    assertThat(rt.list()).isEmpty();
  }

  /** runc execs into a created container (its init waits, set up, in its namespaces). */
  @Test
  void execIntoACreatedContainer() throws Exception {
    Bundle b = shBundle("true", j -> {});
    String id = newId("execcreated");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    assertThat(rt.state(id).status()).isEqualTo(Status.created);
    Spec.Process exec = new Spec.Process(false, null, null, List.of("sh", "-c", "hostname > /out/exec"),
        List.of("PATH=/bin"), "/", null, null, null, null, null, null);
    assertThat(rt.awaitExec(rt.exec(id, exec, new ExecOptions(null, Stdio.INHERIT, false))).code()).isZero();
    assertThat(b.read("exec").trim()).isEqualTo("jocker");
    assertThat(rt.state(id).status()).isEqualTo(Status.created);
  }

  /** "rro" makes the bind and every mount under it read-only (a plain "ro" stops at the top). */
  @Test
  void rroMakesSubmountsReadOnly() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    Path sub = Files.createDirectories(shared.resolve("sub"));
    host("mount", "-t", "tmpfs", "-o", "mode=777", "tmpfs", sub.toString());
    try {
      Bundle b = shBundle("touch /ro/top; echo $? > /out/top; touch /ro/sub/x; echo $? > /out/sub;"
          + " touch /plain/sub/x; echo $? > /out/plain", j -> {
            ArrayNode mounts = j.withArray("/mounts");
            mounts.addObject().put("destination", "/ro").put("type", "bind").put("source", shared.toString())
                .putArray("options").add("rbind").add("rro");
            mounts.addObject().put("destination", "/plain").put("type", "bind").put("source", shared.toString())
                .putArray("options").add("rbind").add("ro");
          });
      assertThat(run(b).exit().code()).isZero();
      assertThat(b.read("top").trim()).isEqualTo("1");
      assertThat(b.read("sub").trim()).isEqualTo("1");
      assertThat(b.read("plain").trim()).isEqualTo("0"); // "ro" alone: the submount stays writable
    } finally {
      host("umount", sub.toString());
    }
  }

  /** runc's bats test "runc run [ro /dev mount]": the /dev tmpfs with "ro" works, and is read-only. */
  @Test
  void aReadOnlyDevWorks() throws Exception {
    Result r = sh("grep '^tmpfs /dev ' /proc/mounts; touch /dev/x; echo $?; ls /dev/null /dev/ptmx", j -> {
      for (var m : j.withArray("/mounts")) {
        if (m.path("destination").asText().equals("/dev")) {
          ((ObjectNode) m).withArray("/options").add("ro");
        }
      }
    });
    assertThat(r.exit().code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).contains(" ro,");
    assertThat(lines.get(1)).isEqualTo("1");
    assertThat(r.out()).contains("/dev/null", "/dev/ptmx");
  }

  /** runc runs createContainer hooks from the container's root filesystem (before pivot_root). */
  @Test
  void createContainerHookRunsInTheRootfs() throws Exception {
    Path hooks = Files.createDirectories(tmp.resolve("hooks"));
    Path script = hooks.resolve("cwd.sh");
    Files.writeString(script, "#!/bin/sh\npwd > " + hooks + "/cwd\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Bundle b = shBundle("true", j -> HooksTest.addHook(j, "createContainer", script));
    assertThat(run(b).exit().code()).isZero();
    assertThat(Files.readString(hooks.resolve("cwd")).trim())
        .isEqualTo(b.dir().resolve("rootfs").toRealPath().toString());
  }

  /**
   * A container whose cgroup someone froze beforehand: its init would freeze joining it and create
   * hang. Refused in runc's words; the frozen cgroup (not the runtime's) is left as it was.
   */
  @Test
  void aFrozenCgroupIsRefused() throws Exception {
    String id = newId("frozen");
    CgroupManager frozen = Cgroups.forContainer(null, id);
    frozen.create();
    CompletableFuture<?> creating = CompletableFuture.completedFuture(null);
    try {
      frozen.freeze();
      Bundle b = shBundle("true", j -> {});
      // In another thread: a create that hangs must not keep the clean-up below from thawing it.
      creating = CompletableFuture.runAsync(() -> rt.create(id, b.dir(), CreateOptions.DEFAULT));
      assertThat(creating).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
          .withMessageContaining("container's cgroup unexpectedly frozen");
      assertThat(frozen.isFrozen()).isTrue();
      assertThat(rt.list()).isEmpty();
    } finally {
      frozen.thaw();
      try {
        creating.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // the failure above says what went wrong
      }
      frozen.destroy();
    }
  }

  /**
   * runc's bats setup: only the freezer's directory made beforehand, and frozen. runc checks before
   * it makes anything, so every create is refused the same way and nothing else is made or removed.
   */
  @Test
  void aFrozenFreezerDirectoryAloneIsRefusedAndKept() throws Exception {
    String id = newId("frozenalone");
    CgroupManager target = Cgroups.forContainer(null, id);
    Map<Hierarchy, Path> dirs = target.directories();
    Hierarchy freezing = dirs.keySet().stream().filter(h -> h.controllers().contains("freezer")).findFirst()
        .orElseGet(() -> dirs.keySet().stream().filter(Hierarchy::unified).findFirst().orElseThrow());
    Path freezerDir = Files.createDirectories(dirs.get(freezing));
    try {
      target.freeze();
      Bundle b = shBundle("true", j -> {});
      for (int attempt = 0; attempt < 2; attempt++) {
        CompletableFuture<?> creating = CompletableFuture.runAsync(() -> rt.create(id, b.dir(), CreateOptions.DEFAULT));
        assertThat(creating).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
            .withMessageContaining("container's cgroup unexpectedly frozen");
      }
      assertThat(target.isFrozen()).isTrue();
      dirs.forEach((h, dir) -> assertThat(Files.isDirectory(dir)).as(dir.toString()).isEqualTo(h.equals(freezing)));
      assertThat(rt.list()).isEmpty();
    } finally {
      target.thaw();
      target.destroy();
      Files.deleteIfExists(freezerDir);
    }
  }

  /** A second container in the cgroup of a running one: runc's warning, and it runs. */
  @Test
  void aNonEmptyCgroupIsWorthAWarning() throws Exception {
    String first = newId("occupant");
    rt.create(first, shBundle("sleep 600", j -> {}).dir(), CreateOptions.DEFAULT);
    rt.start(first);
    assertThat(rt.drainWarnings()).isEmpty();
    String second = newId("sharer");
    rt.create(second, shBundle("true", j -> linux(j).put("cgroupsPath", "/jocker/" + first)).dir(),
        CreateOptions.DEFAULT);
    assertThat(rt.drainWarnings()).containsExactly("container's cgroup is not empty: 1 process(es) found");
  }

  /**
   * runc's exec --cgroup (bats "exec --cgroup sub-cgroups [v1]"): the process joins an existing
   * sub-cgroup of the container's, for every hierarchy or the named controllers'; nothing outside
   * the container's cgroup, nothing that does not exist, no unknown controller.
   */
  @Test
  void execJoinsASubCgroupOfTheContainers() throws Exception {
    Bundle b = shBundle("sleep 600", j -> removeNamespace(j, "cgroup")); // runc spec's: host cgroup paths
    String id = newId("subcg");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    rt.start(id);
    Map<Hierarchy, Path> dirs = Cgroups.forContainer(null, id).directories();
    for (Path dir : dirs.values()) {
      Path sub = Files.createDirectory(dir.resolve("sub"));
      for (String file : List.of("cpuset.cpus", "cpuset.mems")) { // a v1 cpuset starts empty: unjoinable
        if (Files.exists(sub.resolve(file))) {
          Files.writeString(sub.resolve(file), Files.readString(dir.resolve(file)).strip());
        }
      }
    }
    assertThat(execCgroups(id, b, List.of("sub"))).isNotEmpty()
        .allSatisfy(line -> assertThat(line).endsWith("/jocker/" + id + "/sub"));
    assertThat(execCgroups(id, b, List.of("/"))).allSatisfy(line -> assertThat(line).endsWith("/jocker/" + id));

    assertThatThrownBy(() -> execCgroups(id, b, List.of(".."))).hasMessageContaining(".. is not a sub cgroup path");
    assertThatThrownBy(() -> execCgroups(id, b, List.of("nonexistent")))
        .hasMessageContaining(" adding pid ").hasMessageContaining("/nonexistent/cgroup.procs: no such file ");
    assertThatThrownBy(() -> execCgroups(id, b, List.of("whaaat:/"))).hasMessageContaining("unknown controller whaaat");

    Hierarchy memory = dirs.keySet().stream().filter(h -> !h.unified() && h.controllers().contains("memory"))
        .findFirst().orElse(null);
    assumeTrue(memory != null, "the controller form needs memory on a v1 hierarchy");
    List<String> lines = execCgroups(id, b, List.of("memory:sub"));
    assertThat(lines).filteredOn(line -> line.matches("\\d+:memory:.*")).singleElement().asString()
        .endsWith("/jocker/" + id + "/sub");
    assertThat(lines).filteredOn(line -> !line.matches("\\d+:memory:.*"))
        .allSatisfy(line -> assertThat(line).endsWith("/jocker/" + id));
  }

  /** The /proc/self/cgroup lines, of the hierarchies the container has, of a process exec'd with these --cgroup values. */
  private List<String> execCgroups(String id, Bundle b, List<String> subCgroups) throws Exception {
    Spec.Process exec = new Spec.Process(false, null, null, List.of("sh", "-c", "cat /proc/self/cgroup > /out/cg"),
        List.of("PATH=/bin"), "/", null, null, null, null, null, null);
    Files.deleteIfExists(b.out().resolve("cg"));
    ExecOptions options = new ExecOptions(null, Stdio.INHERIT, false, false, false, false, subCgroups);
    assertThat(rt.awaitExec(rt.exec(id, exec, options)).code()).isZero();
    java.util.Set<java.util.Set<String>> managed = new java.util.HashSet<>();
    Cgroups.forContainer(null, id).directories().keySet()
        .forEach(h -> managed.add(h.unified() ? java.util.Set.of("") : h.controllers()));
    return Files.readAllLines(b.out().resolve("cg")).stream()
        .filter(line -> managed.contains(java.util.Set.of(line.split(":", 3)[1].split(",")))).toList();
  }
}
