package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jocker.runtime.testing.CgroupFiles.HUGETLB_2MB_LIMIT;
import static org.jocker.runtime.testing.CgroupFiles.HUGETLB_2MB_RSVD_LIMIT;
import static org.jocker.runtime.testing.CgroupFiles.NET_CLS_CLASSID;
import static org.jocker.runtime.testing.CgroupFiles.NET_PRIO_IFPRIOMAP;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jocker.runtime.cgroup.CgroupException;
import org.jocker.runtime.cgroup.CgroupLayout;
import org.jocker.runtime.cgroup.Hierarchy;
import org.jocker.runtime.kernel.LinuxKernel;
import org.jocker.runtime.launch.Launcher;
import org.jocker.runtime.testing.CgroupFiles;
import org.jocker.runtime.testing.PrivateV1Hierarchy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * linux.resources.hugepageLimits and linux.resources.network on the host's cgroups, whatever their
 * layout: hugetlb through the hierarchy the runtime drives it by (here v1 or cgroup2, files named
 * through {@link CgroupFiles}); net_cls and net_prio, v1 only, through the host's hierarchies or,
 * where it has none, ones mounted for this test alone. A host lacking what a config asks for fails
 * the create naming the field.
 */
class HugetlbAndNetworkTest extends KernelTestBase {
  private static final long LIMIT = 64L << 20;
  private static final Path SIZE_2MB = Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB");

  private final CgroupFiles files = new CgroupFiles();
  private PrivateV1Hierarchy privateNet;
  private String subtreeControlBefore;

  @BeforeEach
  void noteCgroup2Controllers() throws IOException {
    Optional<Hierarchy> unified = CgroupLayout.detect().unified();
    if (unified.isPresent()) {
      subtreeControlBefore = Files.readString(unified.get().mountPoint().resolve("cgroup.subtree_control"));
    }
  }

  /**
   * Containers first, then what the test set up for them: the private mount, and hugetlb enabled in
   * the cgroup2 root by a container asking for it (the runtime leaves it enabled, as runc does).
   */
  @AfterEach
  void undoHostChanges() throws IOException {
    for (var s : rt.list()) {
      rt.delete(s.id(), true);
    }
    if (privateNet != null) {
      privateNet.close();
    }
    Optional<Hierarchy> unified = CgroupLayout.detect().unified();
    if (unified.isPresent() && !subtreeControlBefore.contains("hugetlb")) {
      Path mount = unified.get().mountPoint();
      for (Path dir : List.of(mount.resolve("jocker"), mount)) {
        try {
          Files.writeString(dir.resolve("cgroup.subtree_control"), "-hugetlb");
        } catch (IOException e) {
          // gone (the runtime removed an empty /jocker), or another container now uses it
        }
      }
    }
  }

  static void hugepageLimit(ObjectNode j, String pageSize, long limit) {
    resources(j).putArray("hugepageLimits").addObject().put("pageSize", pageSize).put("limit", limit);
  }

  static void network(ObjectNode j, Long classId, String... interfacePriorities) {
    ObjectNode network = resources(j).putObject("network");
    if (classId != null) {
      network.put("classID", classId);
    }
    if (interfacePriorities.length > 0) {
      ArrayNode priorities = network.putArray("priorities");
      for (int i = 0; i < interfacePriorities.length; i += 2) {
        priorities.addObject().put("name", interfacePriorities[i])
            .put("priority", Long.parseLong(interfacePriorities[i + 1]));
      }
    }
  }

  /** This host's layout without the controllers, as a host that lacks them would be. */
  static CgroupLayout without(String... controllers) {
    Set<String> gone = Set.of(controllers);
    List<Hierarchy> kept = new ArrayList<>();
    for (Hierarchy h : CgroupLayout.detect().hierarchies()) {
      if (h.unified()) {
        Set<String> left = new HashSet<>(h.controllers());
        left.removeAll(gone);
        kept.add(new Hierarchy(h.mountPoint(), h.mountRoot(), true, left, h.ownCgroup()));
      } else if (h.controllers().stream().noneMatch(gone::contains)) {
        kept.add(h);
      }
    }
    return new CgroupLayout(kept);
  }

  private void runtimeWith(CgroupLayout layout, String name) {
    rt = new ContainerRuntime(tmp.resolve("state-" + name), new LinuxKernel(), Launcher.locate(), layout);
  }

  @Test
  void hugepageLimitsAreSetInTheContainersCgroup() throws Exception {
    files.hierarchy("hugetlb");
    assumeTrue(Files.isDirectory(SIZE_2MB), "this host has no 2MB huge pages");
    Bundle b = shBundle("true", j -> hugepageLimit(j, "2MB", LIMIT));
    String id = newId("huge");

    rt.create(id, b.dir(), CreateOptions.DEFAULT);

    assertThat(Files.readString(files.onHost(id, HUGETLB_2MB_LIMIT)).trim()).isEqualTo(Long.toString(LIMIT));
    Path reservations = files.onHost(id, HUGETLB_2MB_RSVD_LIMIT);
    if (Files.exists(reservations)) { // Linux 5.7+
      assertThat(Files.readString(reservations).trim()).isEqualTo(Long.toString(LIMIT));
    }
    rt.start(id);
    assertThat(rt.awaitExit(id).code()).isZero();
  }

  @Test
  void anUnknownPageSizeFailsTheCreate() throws Exception {
    files.hierarchy("hugetlb");
    Bundle b = shBundle("true", j -> hugepageLimit(j, "3MB", LIMIT));

    assertThatThrownBy(() -> rt.create(newId("huge"), b.dir(), CreateOptions.DEFAULT))
        .isInstanceOf(CgroupException.class)
        .hasMessageStartingWith("cgroup hugetlb: linux.resources.hugepageLimits: page size \"3MB\" is not one"
            + " of this host's (")
        .hasMessageEndingWith(", from /sys/kernel/mm/hugepages)")
        .hasMessageNotContaining("\n");
    assertThat(rt.list()).isEmpty();
  }

  @Test
  void aHostWithoutHugetlbFailsTheCreate() throws Exception {
    runtimeWith(without("hugetlb"), "nohugetlb");
    Bundle b = shBundle("true", j -> hugepageLimit(j, "2MB", LIMIT));

    assertThatThrownBy(() -> rt.create(newId("huge"), b.dir(), CreateOptions.DEFAULT))
        .isInstanceOf(CgroupException.class)
        .hasMessage("cgroup: linux.resources.hugepageLimits asks the hugetlb controller, which this host does"
            + " not provide (no hierarchy has it)");
    assertThat(rt.list()).isEmpty();
  }

  @Test
  void classIdAndPrioritiesAreSetInTheContainersCgroup() throws Exception {
    CgroupLayout layout = CgroupLayout.detect();
    if (layout.hierarchyFor("net_cls").isEmpty() || layout.hierarchyFor("net_prio").isEmpty()) {
      privateNet = PrivateV1Hierarchy.mount(tmp.resolve("net_cls,net_prio"), Set.of("net_cls", "net_prio"))
          .orElse(null);
      assumeTrue(privateNet != null, "cannot mount a v1 net_cls,net_prio hierarchy here");
      List<Hierarchy> hierarchies = new ArrayList<>(without("net_cls", "net_prio").hierarchies());
      hierarchies.addFirst(privateNet.hierarchy());
      layout = new CgroupLayout(hierarchies);
      runtimeWith(layout, "net");
    }
    CgroupFiles net = new CgroupFiles(layout);
    Bundle b = shBundle("true", j -> {
      network(j, 0x100001L, "lo", "7");
      // a private hierarchy cannot be bind-mounted from its namespace into the container's
      j.withArray("/mounts").removeIf(m -> m.path("type").asText().equals("cgroup"));
    });
    String id = newId("net");

    rt.create(id, b.dir(), CreateOptions.DEFAULT);

    assertThat(Files.readString(net.onHost(id, NET_CLS_CLASSID)).trim()).isEqualTo(Long.toString(0x100001L));
    assertThat(Files.readString(net.onHost(id, NET_PRIO_IFPRIOMAP)).lines()).contains("lo 7");
    int pid = rt.state(id).pid();
    assertThat(net.cgroupOf(pid, "net_cls")).isEqualTo("/jocker/" + id);
  }

  @Test
  void aHostWithoutNetClsOrNetPrioFailsTheCreate() throws Exception {
    runtimeWith(without("net_cls", "net_prio"), "nonet");
    Bundle classId = shBundle("true", j -> network(j, 1L));
    Bundle priorities = shBundle("true", j -> network(j, null, "lo", "1"));

    assertThatThrownBy(() -> rt.create(newId("net"), classId.dir(), CreateOptions.DEFAULT))
        .hasMessage("cgroup: linux.resources.network.classID asks the net_cls controller, which this host does"
            + " not provide (no hierarchy has it)");
    assertThatThrownBy(() -> rt.create(newId("net"), priorities.dir(), CreateOptions.DEFAULT))
        .hasMessage("cgroup: linux.resources.network.priorities asks the net_prio controller, which this host"
            + " does not provide (no hierarchy has it)");
    assertThat(rt.list()).isEmpty();
  }
}
