package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.jocker.runtime.plan.SeccompListener;
import org.jocker.runtime.seccomp.SeccompCompiler;
import org.jocker.runtime.seccomp.SeccompFilter;
import org.jocker.runtime.spec.DefaultSpec;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.Test;

/** The pieces of runc's ContainerProcessState that Java gives the monitor, completed as it does. */
class SeccompAgentStateTest {
  private final ObjectMapper json = new ObjectMapper();

  private static Spec withProfile(Spec.Seccomp profile) {
    Spec s = DefaultSpec.create(List.of("true"), false);
    Spec.Linux l = s.linux();
    Spec.Linux linux = new Spec.Linux(l.namespaces(), l.uidMappings(), l.gidMappings(), l.devices(), l.cgroupsPath(),
        l.resources(), l.rootfsPropagation(), profile, l.sysctl(), l.maskedPaths(), l.readonlyPaths(), l.mountLabel());
    return new Spec(s.ociVersion(), s.process(), s.root(), s.hostname(), s.domainname(), s.mounts(), s.hooks(),
        Map.of("k", "v"), linux);
  }

  /** What the monitor sends: the listener's state, with the pid it appends. */
  private JsonNode completed(SeccompListener l, int pid) throws Exception {
    String meta = l.metadataJson().isEmpty() ? "" : ",\"metadata\":" + l.metadataJson();
    int statePid = l.statePid() == 0 ? pid : (int) l.statePid();
    return json.readTree("{\"ociVersion\":\"1.0.2\",\"fds\":[\"seccompFd\"],\"pid\":" + pid + meta
        + ",\"state\":" + l.stateOpen() + ",\"pid\":" + statePid + "}}");
  }

  @Test
  void initAndExecStatesAreRuncs() throws Exception {
    Spec.Seccomp profile = new Spec.Seccomp("SCMP_ACT_ALLOW", null, null, null,
        List.of(new Spec.Syscall(List.of("mkdir"), "SCMP_ACT_NOTIFY", null, null)), "/run/a.sock", "b\"ar");
    Spec spec = withProfile(profile);
    SeccompFilter filter = SeccompCompiler.compile(profile);

    JsonNode init = completed(SeccompAgentState.forInit(json, spec, filter, "c1", "/bundle"), 77);
    assertThat(init.get("pid").asInt()).isEqualTo(77);
    assertThat(init.get("metadata").asText()).isEqualTo("b\"ar");
    assertThat(init.get("state").get("id").asText()).isEqualTo("c1");
    assertThat(init.get("state").get("status").asText()).isEqualTo("creating");
    assertThat(init.get("state").get("pid").asInt()).isEqualTo(77);
    assertThat(init.get("state").get("bundle").asText()).isEqualTo("/bundle");
    assertThat(init.get("state").get("annotations").get("k").asText()).isEqualTo("v");

    JsonNode exec = completed(SeccompAgentState.forExec(json, spec, filter, "c1", "/bundle", 10), 88);
    assertThat(exec.get("pid").asInt()).isEqualTo(88);
    assertThat(exec.get("state").get("status").asText()).isEqualTo("running");
    assertThat(exec.get("state").get("pid").asInt()).isEqualTo(10);
  }

  @Test
  void noListenerWithoutNotifyRules() {
    Spec.Seccomp profile = new Spec.Seccomp("SCMP_ACT_ALLOW", null, null, null, List.of(), "/run/a.sock", null);
    assertThat(SeccompAgentState.forInit(json, withProfile(profile), SeccompCompiler.compile(profile), "c", "/b"))
        .isNull();
    assertThat(SeccompAgentState.forInit(json, withProfile(null), null, "c", "/b")).isNull();
  }
}
