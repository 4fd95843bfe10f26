package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.runtime.state.ContainerState.Status;
import org.jocker.runtime.testing.NamespaceHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Namespaces given by path (held by an {@code unshare ... sleep} outside any container), alone and
 * with a user namespace, and a container without a mount namespace, on the real kernel.
 */
class NamespacesByPathTest extends KernelTestBase {
  /** spec name -> /proc/PID/ns name, for the types a holder can hold. */
  private static final Map<String, String> PROC_NAMES = Map.of("network", "net", "ipc", "ipc", "uts", "uts",
      "pid", "pid", "mount", "mnt", "cgroup", "cgroup", "time", "time", "user", "user");

  private static String nsOf(long pid, String procName) throws IOException {
    return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + procName)).toString();
  }

  @ParameterizedTest
  @CsvSource({"network, --net", "ipc, --ipc", "uts, --uts", "pid, --pid", "mount, --mount", "cgroup, --cgroup",
      "time, --time"})
  void joinsANamespaceHeldByAnotherProcess(String type, String unshareOption) throws Exception {
    String proc = PROC_NAMES.get(type);
    try (NamespaceHolder holder = NamespaceHolder.start(unshareOption)) {
      assertThat(holder.id(proc)).isNotEqualTo(nsOf(ProcessHandle.current().pid(), proc));
      Result r = sh("readlink /proc/self/ns/" + proc, j -> addNamespace(j, type, holder.path(proc)));
      assertThat(r.exit().code()).as(r.err()).isZero();
      assertThat(r.out().strip()).isEqualTo(holder.id(proc));
    }
  }

  @Test
  void setsTheHostnameOfAUtsNamespaceJoinedByPath() throws Exception {
    try (NamespaceHolder holder = NamespaceHolder.start("--uts")) {
      Result r = sh("hostname", j -> {
        addNamespace(j, "uts", holder.path("uts"));
        j.put("hostname", "joined-host");
      });
      assertThat(r.exit().code()).as(r.err()).isZero();
      assertThat(r.out().strip()).isEqualTo("joined-host");
      assertThat(host("nsenter", "-t", Long.toString(holder.pid()), "-u", "hostname").strip())
          .isEqualTo("joined-host");
    }
  }

  /**
   * A new user namespace with the others of the host's joined by path: they are joined before the
   * user namespace is made (from it, the host's namespaces could not be joined). proc, sysfs and
   * mqueue are left out: mounting them needs the pid, network and ipc namespaces to belong to the
   * container's user namespace, in runc as here.
   */
  @Test
  void aNewUserNamespaceWithTheOthersJoinedByPath() throws Exception {
    List<String> types = List.of("network", "ipc", "uts", "pid", "cgroup", "time");
    try (NamespaceHolder holder = NamespaceHolder.start("--net", "--ipc", "--uts", "--pid", "--cgroup", "--time")) {
      Bundle b = shBundle("sleep 60", j -> {
        for (String type : types) {
          addNamespace(j, type, holder.path(PROC_NAMES.get(type)));
        }
        mapUsers(j);
        removeMounts(j, "/proc", "/sys", "/dev/mqueue");
        j.remove("hostname"); // the host's uts namespace is not the new user namespace's to rename
      });
      host("chown", "-R", "-h", "100000:100000", b.dir().resolve("rootfs").toString());
      String id = newId("userjoin");
      rt.create(id, b.dir(), CreateOptions.DEFAULT);
      rt.start(id);
      int pid = rt.state(id).pid();
      for (String type : types) {
        assertThat(nsOf(pid, PROC_NAMES.get(type))).as(type).isEqualTo(holder.id(PROC_NAMES.get(type)));
      }
      assertThat(nsOf(pid, "user")).isNotEqualTo(nsOf(ProcessHandle.current().pid(), "user"));
      assertThat(Files.readString(Path.of("/proc/" + pid + "/uid_map")).strip().split("\\s+"))
          .containsExactly("0", "100000", "65536");
      assertThat(rt.state(id).status()).isEqualTo(Status.running);
    }
  }

  /** A user namespace and all it owns, every one joined by path: the container sets up its root there. */
  @Test
  void joinsAUserNamespaceAndTheNamespacesItOwns() throws Exception {
    try (NamespaceHolder holder = NamespaceHolder.start("--user", "--mount", "--net", "--ipc", "--uts", "--pid",
        "--cgroup", "--time")) {
      holder.mapIds(100000, 65536);
      Bundle b = shBundle("id -u; readlink /proc/self/ns/user; readlink /proc/self/ns/mnt; touch /out/file", j -> {
        PROC_NAMES.forEach((type, proc) -> addNamespace(j, type, holder.path(proc)));
        j.remove("hostname");
      });
      host("chown", "-R", "-h", "100000:100000", b.dir().resolve("rootfs").toString());
      Result r = run(b);
      assertThat(r.exit().code()).as(r.err()).isZero();
      assertThat(r.out().lines().toList()).containsExactly("0", holder.id("user"), holder.id("mnt"));
      assertThat(Files.getAttribute(b.out().resolve("file"), "unix:uid")).isEqualTo(100000);
    }
  }

  /** A user namespace joined by path, the others new: they belong to it, as a rootless container's. */
  @Test
  void joinsAUserNamespaceAndMakesTheOthersInIt() throws Exception {
    try (NamespaceHolder holder = NamespaceHolder.start("--user")) {
      holder.mapIds(100000, 65536);
      Bundle b = shBundle("id -u; readlink /proc/self/ns/user; hostname; touch /out/file",
          j -> addNamespace(j, "user", holder.path("user")));
      host("chown", "-R", "-h", "100000:100000", b.dir().resolve("rootfs").toString());
      Result r = run(b);
      assertThat(r.exit().code()).as(r.err()).isZero();
      assertThat(r.out().lines().toList()).containsExactly("0", holder.id("user"), "jocker");
      assertThat(Files.getAttribute(b.out().resolve("file"), "unix:uid")).isEqualTo(100000);
    }
  }

  /**
   * No mount namespace: the container shares the host's (as with runc), its init only changes its
   * root, and nothing is mounted on the host; an exec enters the same root.
   */
  @Test
  void withoutAMountNamespaceTheContainerIsChrootedInTheHosts() throws Exception {
    Bundle b = bundle(List.of("sh", "-c", "ls / > /listing.tmp; mv /listing.tmp /listing; sleep 60"), j -> {
      removeNamespace(j, "mount");
      j.putArray("mounts");
      linux(j).remove(List.of("maskedPaths", "readonlyPaths"));
      j.withObject("/root").put("readonly", false);
    });
    Path rootfs = b.dir().resolve("rootfs");
    String id = newId("nomnt");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    rt.start(id);
    int pid = rt.state(id).pid();
    assertThat(nsOf(pid, "mnt")).isEqualTo(nsOf(ProcessHandle.current().pid(), "mnt"));
    assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/root"))).isEqualTo(rootfs);
    for (int i = 0; i < 500 && !Files.exists(rootfs.resolve("listing")); i++) {
      Thread.sleep(10);
    }
    assertThat(Files.readAllLines(rootfs.resolve("listing"))).contains("bin", "etc", "listing.tmp").doesNotContain("usr");
    assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneMatch(l -> l.contains(b.dir().toString()));

    var exec = new org.jocker.runtime.spec.Spec.Process(false, null, null,
        List.of("sh", "-c", "ls / > /exec-listing"), List.of("PATH=/bin"), "/", null, null, null, null, null, null);
    assertThat(rt.awaitExec(rt.exec(id, exec, new ExecOptions(null, org.jocker.runtime.launch.Stdio.INHERIT, false)))
        .code()).isZero();
    assertThat(Files.readAllLines(rootfs.resolve("exec-listing"))).contains("bin", "etc", "listing").doesNotContain("usr");
  }

  private static void mapUsers(ObjectNode j) {
    addNamespace(j, "user", null);
    linux(j).putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
    linux(j).putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
  }

  private static void removeMounts(ObjectNode j, String... destinations) {
    ArrayNode mounts = j.withArray("/mounts");
    for (int i = mounts.size() - 1; i >= 0; i--) {
      if (List.of(destinations).contains(mounts.get(i).path("destination").asText())) {
        mounts.remove(i);
      }
    }
  }
}
