package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jocker.runtime.spec.DefaultSpec;
import org.jocker.runtime.spec.DockerDefaultProfile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seccomp filters loaded by the launcher, with and without no_new_privs (then loaded before the cap drop). */
class SeccompTest extends KernelTestBase {

  static void denyMkdir(ObjectNode j) {
    ObjectNode s = linux(j).putObject("seccomp").put("defaultAction", "SCMP_ACT_ALLOW");
    s.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32");
    s.putArray("syscalls").addObject().put("action", "SCMP_ACT_ERRNO").put("errnoRet", 1)
        .putArray("names").add("mkdir").add("mkdirat");
  }

  static void dockerDefault(ObjectNode j, Set<String> profileCaps, List<String> processCaps) {
    linux(j).set("seccomp", JSON.valueToTree(DockerDefaultProfile.forCapabilities(profileCaps)));
    setCaps(j, processCaps, false);
  }

  static List<String> withSysAdmin() {
    List<String> caps = new ArrayList<>(DefaultSpec.CAPABILITIES);
    caps.add("CAP_SYS_ADMIN");
    return caps;
  }

  @ParameterizedTest(name = "noNewPrivileges={0}")
  @ValueSource(booleans = {true, false})
  void customProfileFailsOnlyTheListedCalls(boolean nnp) throws Exception {
    Result r = sh("grep Seccomp: /proc/self/status; mkdir /tmp/x; echo mkdir=$?; touch /tmp/y; echo touch=$?;"
        + " grep NoNewPrivs /proc/self/status", j -> {
          denyMkdir(j);
          process(j).put("noNewPrivileges", nnp);
          j.withObject("/root").put("readonly", false);
        });
    assertThat(r.exit().code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList())
        .containsExactly("Seccomp:\t2", "mkdir=1", "touch=0", "NoNewPrivs:\t" + (nnp ? 1 : 0));
    assertThat(r.err()).contains("Operation not permitted");
  }

  @ParameterizedTest(name = "noNewPrivileges={0}")
  @ValueSource(booleans = {true, false})
  void dockerDefaultBlocksUnshareWithoutSysAdmin(boolean nnp) throws Exception {
    // CAP_SYS_ADMIN is granted, but the profile is the one for Docker's default caps: the filter denies
    Result denied = sh("grep Seccomp: /proc/self/status; unshare -u true; echo unshare=$?", j -> {
      dockerDefault(j, new HashSet<>(DefaultSpec.CAPABILITIES), withSysAdmin());
      process(j).put("noNewPrivileges", nnp);
    });
    assertThat(denied.out().lines().toList()).as(denied.err()).containsExactly("Seccomp:\t2", "unshare=1");
    assertThat(denied.err()).contains("Operation not permitted");

    // the profile resolved for CAP_SYS_ADMIN allows it
    Result allowed = sh("unshare -u true; echo unshare=$?", j -> {
      dockerDefault(j, new HashSet<>(withSysAdmin()), withSysAdmin());
      process(j).put("noNewPrivileges", nnp);
    });
    assertThat(allowed.out()).as(allowed.err()).isEqualTo("unshare=0\n");
  }

  @ParameterizedTest(name = "noNewPrivileges={0}")
  @ValueSource(booleans = {true, false})
  void dockerDefaultWithDefaultCapsRunsOrdinaryPrograms(boolean nnp) throws Exception {
    Result r = sh("unshare -u true; echo unshare=$?; ls / >/dev/null && echo ls-ok; id -u", j -> {
      dockerDefault(j, new HashSet<>(DefaultSpec.CAPABILITIES), DefaultSpec.CAPABILITIES);
      process(j).put("noNewPrivileges", nnp);
      setUser(j, 0, 0);
    });
    assertThat(r.out().lines().toList()).as(r.err()).containsExactly("unshare=1", "ls-ok", "0");
  }
}
