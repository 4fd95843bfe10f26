package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input fails with one clear line naming the field or id, and leaves nothing behind. */
class BadInputTest extends KernelTestBase {

  /** Runs a create expected to fail; checks the message is one line and nothing is left. */
  String failingCreate(Path bundle) {
    String id = newId("bad");
    Throwable t = catchThrowable(() -> rt.create(id, bundle, CreateOptions.DEFAULT));
    assertThat(t).isInstanceOf(OciRuntimeException.class);
    assertThat(t.getMessage()).doesNotContain("\n");
    assertThat(rt.list()).isEmpty();
    assertThat(tmp.resolve("state").resolve(id)).doesNotExist();
    assertThat(leftoverCgroups()).isEmpty();
    assertThat(awaitNoLauncherProcesses()).isEmpty();
    return t.getMessage();
  }

  String failingCreate(Consumer<ObjectNode> edit) throws Exception {
    return failingCreate(shBundle("true", edit).dir());
  }

  @Test
  void theLeftoverProbeSeesACreatedContainer() throws Exception {
    String id = newId("probe");
    rt.create(id, shBundle("true", j -> {}).dir(), CreateOptions.DEFAULT);
    assertThat(ourLauncherProcesses()).contains((long) rt.state(id).pid(), (long) monitorPid(id));
    assertThat(leftoverCgroups()).isNotEmpty();
  }

  @Test
  void missingConfig() throws Exception {
    Path bundle = Files.createDirectories(tmp.resolve("empty"));
    assertThat(failingCreate(bundle)).isEqualTo("bundle " + bundle + ": config.json not found");
  }

  @Test
  void invalidJson() throws Exception {
    Bundle b = shBundle("true", j -> {});
    Files.writeString(b.dir().resolve("config.json"), "{\"ociVersion\": \"1.2.0\", \"process\": ");
    assertThat(failingCreate(b.dir())).startsWith("config.json: invalid JSON");
  }

  @Test
  void unsupportedOciVersion() throws Exception {
    assertThat(failingCreate(j -> j.put("ociVersion", "2.0.0"))).contains("ociVersion", "\"2.0.0\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0.2", "1.3.0"})
  void supportedOciVersions(String version) throws Exception {
    assertThat(sh("true", j -> j.put("ociVersion", version)).exit().code()).isZero();
  }

  @Test
  void missingRootfs() throws Exception {
    assertThat(failingCreate(j -> j.withObject("/root").put("path", "nope"))).contains("root.path", "nope");
  }

  @Test
  void unknownNamespaceType() throws Exception {
    assertThat(failingCreate(j -> namespaces(j).addObject().put("type", "bogus")))
        .contains("linux.namespaces[6].type", "\"bogus\"");
  }

  @Test
  void malformedMapping() throws Exception {
    assertThat(failingCreate(j -> {
      addNamespace(j, "user", null);
      linux(j).putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 0);
      linux(j).putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 1);
    })).contains("linux.uidMappings[0]");
    assertThat(failingCreate(j -> {
      addNamespace(j, "user", null);
      linux(j).putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 10);
    })).contains("linux.uidMappings", "gid mappings");
  }

  @Test
  void duplicateId() throws Exception {
    Bundle b = shBundle("sleep 10", j -> {});
    String id = newId("dup");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    Throwable t = catchThrowable(() -> rt.create(id, b.dir(), CreateOptions.DEFAULT));
    assertThat(t).hasMessageContaining(id).hasMessageContaining("exists");
    assertThat(rt.list()).hasSize(1); // the first one is untouched
    assertThat(ourLauncherProcesses()).contains((long) rt.state(id).pid());
  }

  @Test
  void unknownIdForEveryCommand() {
    String id = "no-such-container";
    List<Runnable> calls = List.of(() -> rt.start(id), () -> rt.state(id), () -> rt.kill(id, 15, false),
        () -> rt.delete(id, false), () -> rt.delete(id, true));
    for (Runnable call : calls) {
      assertThat(catchThrowable(call::run)).isInstanceOf(OciRuntimeException.class)
          .hasMessageContaining(id).hasMessageContaining("not");
    }
    assertThat(tmp.resolve("state").resolve(id)).doesNotExist();
  }

  @Test
  void emptyArgs() throws Exception {
    assertThat(failingCreate(j -> process(j).putArray("args"))).contains("process.args");
  }

  @Test
  void programNotInPath() throws Exception {
    assertThat(failingCreate(j -> process(j).putArray("args").add("no-such-program")))
        .contains("no-such-program", "executable file not found in $PATH");
  }

  @Test
  void unknownCapability() throws Exception {
    assertThat(failingCreate(j -> process(j).withObject("/capabilities").withArray("bounding").add("CAP_BOGUS")))
        .contains("process.capabilities", "CAP_BOGUS");
  }

  @Test
  void rlimitAboveTheHardLimit() throws Exception {
    assertThat(failingCreate(j -> process(j).putArray("rlimits").addObject()
        .put("type", "RLIMIT_NOFILE").put("soft", 1024).put("hard", 20001)))
        .contains("process.rlimits[0]", "RLIMIT_NOFILE", "20001");
  }

  @Test
  void unwritableRootfsForAMappedRootNamesTheRealError() throws Exception {
    // the image belongs to host root, so the mapped root cannot make the /out mount point
    String msg = failingCreate(j -> {
      addNamespace(j, "user", null);
      linux(j).putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
      linux(j).putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
    });
    assertThat(msg).contains("mount /out").doesNotContain("No such file").containsAnyOf("Permission denied", "Value too large");
  }
}
