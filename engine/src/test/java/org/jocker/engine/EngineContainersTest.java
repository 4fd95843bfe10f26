package org.jocker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jocker.engine.container.ContainerView;
import org.jocker.engine.spec.RunOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Containers kept after they exit: ps, diff, export, commit, rm. */
class EngineContainersTest extends EngineTestBase {

  private int run(String name, String image, String script) {
    RunOptions options = new RunOptions(image, script == null ? List.of() : List.of("sh", "-c", script), null,
        List.of(), null, null, null, name, name == null, false);
    return Captured.of(kernel, io -> engine().run(options, io)).code();
  }

  @AfterEach
  void removeAll() {
    removeAllContainers();
  }

  @Test
  void anExitedContainerIsListedDiffedExportedCommittedAndRemoved() throws Exception {
    assertThat(run("c1", "busybox", "echo hi > /root/new; rm /etc/group; mkdir /tmp/d; exit 4")).isEqualTo(4);
    List<ContainerView> all = engine().list(true);
    assertThat(all).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("c1");
      assertThat(c.state()).isEqualTo("exited");
      assertThat(c.exitCode()).isEqualTo(4);
    });
    assertThat(engine().list(false)).isEmpty();

    assertThat(engine().diff("c1")).extracting(c -> c.kind().letter() + " " + c.path())
        .contains("A /root/new", "D /etc/group", "A /tmp/d", "C /etc");

    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    engine().export("c1", tar);
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar.toByteArray()))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        names.add(e.getName());
      }
    }
    assertThat(names).contains("root/new", "bin/busybox", "etc/passwd").doesNotContain("etc/group");

    String id = engine().commit("c1", "snap:1", List.of("CMD [\"cat\", \"/root/new\"]"), "msg", null);
    assertThat(engine().imageManager().find("snap:1").id().toString()).isEqualTo(id);
    assertThat(run(null, "snap:1", "test -f /root/new && ! test -e /etc/group")).isZero();

    assertThat(engine().imageManager().remove("snap:1", false)).containsExactly("Untagged: snap:1", "Deleted: " + id);
    engine().remove("c1", false);
    assertThat(engine().list(true)).isEmpty();
    assertThatThrownBy(() -> engine().remove("c1", false)).hasMessage("No such container: c1");
  }

  @Test
  void anImageInUseIsNotRemovedWithoutForce() {
    run("user", "busybox", "true");
    assertThatThrownBy(() -> engine().imageManager().remove("busybox", false))
        .hasMessageContaining("image is being used by container");
    assertThatThrownBy(() -> run("user", "busybox", "true"))
        .hasMessage("Conflict. The container name \"/user\" is already in use");
  }
}
