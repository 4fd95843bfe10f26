package org.jocker.cli.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.linux.Capability;
import org.jocker.runtime.linux.NamespaceType;
import picocli.CommandLine.Command;

/** `features`: what this runtime implements, in the runtime-spec's features.json shape. */
@Command(name = "features", description = "Print the features this runtime supports, as JSON.")
final class FeaturesCommand extends RuntimeVerb {
  @Override
  int execute() throws Exception {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("ociVersionMin", "1.0.0");
    f.put("ociVersionMax", "1.3.0");
    f.put("hooks", List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"));
    List<String> mountOptions = new ArrayList<>(List.of("ro", "rw", "nosuid", "suid", "nodev", "dev", "noexec",
        "exec", "sync", "async", "dirsync", "remount", "mand", "nomand", "atime", "noatime", "diratime",
        "nodiratime", "relatime", "norelatime", "strictatime", "nostrictatime", "bind", "rbind"));
    mountOptions.addAll(ContainerRuntime.propagationOptions());
    f.put("mountOptions", mountOptions);
    Map<String, Object> linux = new LinkedHashMap<>();
    linux.put("namespaces", Arrays.stream(NamespaceType.values()).filter(t -> t != NamespaceType.TIME)
        .map(NamespaceType::specName).toList());
    linux.put("capabilities", Arrays.stream(Capability.values()).map(Enum::name).toList());
    linux.put("cgroup", Map.of("v1", true, "v2", true, "systemd", true, "systemdUser", false, "rdma", false));
    linux.put("seccomp", Map.of("enabled", true,
        "actions", List.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
            "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"),
        "operators", List.of("SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
            "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"),
        "archs", List.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32")));
    linux.put("apparmor", Map.of("enabled", false));
    linux.put("selinux", Map.of("enabled", false));
    f.put("linux", linux);
    System.out.println(StateCommand.JSON.writeValueAsString(f));
    return 0;
  }
}
