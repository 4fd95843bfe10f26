package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocker.runtime.testing.CgroupFiles;
import org.junit.jupiter.api.Test;

/** Each namespace type, created and joined, on the real kernel. */
class NamespacesTest extends KernelTestBase {

  static String hostNs(String type) throws Exception {
    return Files.readSymbolicLink(Path.of("/proc/self/ns/" + type)).toString();
  }

  @Test
  void everyDefaultNamespaceIsNewAndInitIsPid1() throws Exception {
    Result r = sh("echo self=$$; for t in pid uts ipc net cgroup mnt; do echo $t=$(readlink /proc/self/ns/$t); done;"
        + " hostname; ls /sys/class/net; cat /proc/self/cgroup");
    assertThat(r.exit().code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).contains("self=1");
    for (String t : List.of("pid", "uts", "ipc", "net", "cgroup", "mnt")) {
      String inside = lines.stream().filter(l -> l.startsWith(t + "=")).findFirst().orElseThrow().substring(t.length() + 1);
      assertThat(inside).as(t).startsWith(t + ":[").isNotEqualTo(hostNs(t));
    }
    assertThat(lines).contains("jocker"); // hostname from the spec
    // only loopback in the new network namespace
    assertThat(lines.stream().filter(l -> !l.contains("=") && !l.contains(":") && !l.equals("jocker")))
        .containsExactly("lo");
    // cgroup namespace: the container's own cgroup is its root
    assertThat(new CgroupFiles().cgroupIn(r.out(), "memory")).isEqualTo("/");
  }

  @Test
  void ipcNamespaceHidesHostSharedMemory() throws Exception {
    Result r = sh("ls /proc/sysvipc >/dev/null; cat /proc/sysvipc/shm | wc -l");
    assertThat(r.exit().code()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo("1"); // header only
  }

  @Test
  void withoutUtsNamespaceTheHostnameIsTheHosts() throws Exception {
    Result r = sh("hostname; readlink /proc/self/ns/uts", j -> {
      removeNamespace(j, "uts");
      j.remove("hostname");
    });
    assertThat(r.exit().code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).containsExactly(host("hostname").trim(), hostNs("uts"));
  }

  @Test
  void userNamespaceMapsRootToAnUnprivilegedHostUid() throws Exception {
    Bundle b = shBundle("id -u; id -g; cat /proc/self/uid_map; touch /out/file", j -> {
      addNamespace(j, "user", null);
      linux(j).putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
      linux(j).putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
    });
    // as with podman, the image belongs to the mapped root
    host("chown", "-R", "-h", "100000:100000", b.dir().resolve("rootfs").toString());
    Result r = run(b);
    assertThat(r.exit().code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("0");
    assertThat(lines.get(1)).isEqualTo("0");
    assertThat(lines.get(2).trim().split("\\s+")).containsExactly("0", "100000", "65536");
    assertThat(Files.getAttribute(b.out().resolve("file"), "unix:uid")).isEqualTo(100000);
    assertThat(Files.getAttribute(b.out().resolve("file"), "unix:gid")).isEqualTo(100000);
  }

  /**
   * The mapped root cannot enter a host directory closed to others (0700, the host's root's), so
   * such bind sources are opened by the host's root before init binds them (as runc).
   */
  @Test
  void userNamespaceBindsSourcesItsRootCannotReach() throws Exception {
    Path closed = Files.createTempDirectory(tmp, "closed");
    List<String> sources = new ArrayList<>();
    for (String name : List.of("one", "two")) {
      Path dir = Files.createDirectories(closed.resolve(name).resolve("dir"));
      Files.writeString(dir.resolve("foo.txt"), name);
      host("chmod", "700", closed.resolve(name).toString());
      sources.add(dir.toString());
    }
    Bundle b = shBundle("cat /mnt/one/foo.txt /mnt/two/foo.txt; echo; ls /mnt/one/..", j -> {
      addNamespace(j, "user", null);
      linux(j).putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
      linux(j).putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
      addMount(j, "/mnt/one", "bind", sources.get(0), "bind");
      addMount(j, "/mnt/two", "bind", sources.get(1), "bind");
    });
    host("chown", "-R", "-h", "100000:100000", b.dir().resolve("rootfs").toString());
    Result r = run(b);
    assertThat(r.exit().code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).containsExactly("onetwo", "one", "two");
  }

  @Test
  void joinsANetworkNamespaceByPath() throws Exception {
    String name = "jocker-test-" + Long.toHexString(System.nanoTime() & 0xffffff);
    host("ip", "netns", "add", name);
    try {
      host("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"); // down in a fresh netns
      Result r = sh("readlink /proc/self/ns/net; ip -o link show lo | grep -o LOWER_UP",
          j -> addNamespace(j, "network", "/run/netns/" + name));
      assertThat(r.exit().code()).as(r.err()).isZero();
      String expected = host("ip", "netns", "exec", name, "readlink", "/proc/self/ns/net").trim();
      assertThat(r.out().lines().toList()).containsExactly(expected, "LOWER_UP");
    } finally {
      host("ip", "netns", "del", name);
    }
  }

  @Test
  void joinsAnotherContainersUtsNamespace() throws Exception {
    Bundle first = shBundle("sleep 60", j -> j.put("hostname", "first-host"));
    String a = newId("uts-a");
    rt.create(a, first.dir(), CreateOptions.DEFAULT);
    rt.start(a);
    int pid = rt.state(a).pid();
    Result r = sh("hostname", j -> {
      addNamespace(j, "uts", "/proc/" + pid + "/ns/uts");
      j.remove("hostname");
    });
    assertThat(r.exit().code()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo("first-host");
  }
}
