package org.jocker.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jocker.runtime.seccomp.BpfInterpreter.SeccompData;
import org.jocker.runtime.spec.DockerDefaultProfile;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs every syscall of every ABI through the compiled Docker profile and compares the result with
 * a direct reading of the profile (first matching rule wins, else the default action).
 */
class SeccompReferenceModelTest {
  private static final long[][] ARGUMENT_SETS = {
    {0, 0, 0, 0, 0, 0}, {0x10000000L | 17}, {40}, {8}, {0xFFFFFFFFL}, {0x1_0000_0000L}
  };

  @ParameterizedTest
  @CsvSource({
    "X86_64, syscalls-x86_64.txt, 0", "X86, syscalls-i386.txt, 0", "X32, syscalls-x32.txt, 0x40000000"
  })
  void compiledDockerProfileMatchesTheProfileText(Architecture arch, String table, String bit)
      throws IOException {
    int x32Bit = Integer.decode(bit);
    for (Set<String> caps : List.of(Set.<String>of(), Set.of("CAP_SYS_ADMIN", "CAP_SYS_BOOT"))) {
      Spec.Seccomp profile = DockerDefaultProfile.forCapabilities(caps);
      BpfInterpreter filter = new BpfInterpreter(SeccompCompiler.compile(profile).program());
      for (Map.Entry<String, Integer> syscall : readTable(table).entrySet()) {
        for (long[] args : ARGUMENT_SETS) {
          int nr = syscall.getValue() | x32Bit;
          int actual = filter.run(new SeccompData(nr, arch.auditArch(), 0, args));
          assertThat(actual)
              .as("%s %s%s", arch, syscall.getKey(), java.util.Arrays.toString(args))
              .isEqualTo(newerThanTheProfile(profile, readTable(table), syscall.getValue())
                  ? SeccompAction.errno(38).returnValue()
                  : expected(profile, syscall.getKey(), args, arch.wideArguments()));
        }
      }
    }
  }

  /** runc's ENOSYS for calls above every name the (non-permissive) profile gives this ABI. */
  private static boolean newerThanTheProfile(Spec.Seccomp profile, Map<String, Integer> table, int nr) {
    int last = profile.syscalls().stream().flatMap(s -> s.names().stream()).filter(table::containsKey)
        .mapToInt(table::get).max().orElse(Integer.MAX_VALUE);
    return !profile.defaultAction().equals("SCMP_ACT_ALLOW") && nr > last;
  }

  private static int expected(Spec.Seccomp profile, String name, long[] args, boolean wide) {
    for (Spec.Syscall rule : profile.syscalls()) {
      if (rule.names().contains(name) && holds(rule.args(), args, wide)) {
        return SeccompAction.parse(rule.action(), rule.errnoRet(), "test").returnValue();
      }
    }
    return SeccompAction.parse(profile.defaultAction(), profile.defaultErrnoRet(), "test").returnValue();
  }

  private static boolean holds(List<Spec.Arg> conditions, long[] args, boolean wide) {
    if (conditions == null) return true;
    for (Spec.Arg c : conditions) {
      long mask = wide ? -1L : 0xFFFFFFFFL;
      long arg = c.index() < args.length ? args[c.index()] & mask : 0;
      long value = c.value() & mask;
      boolean ok =
          switch (c.op()) {
            case "SCMP_CMP_EQ" -> arg == value;
            case "SCMP_CMP_NE" -> arg != value;
            case "SCMP_CMP_LT" -> Long.compareUnsigned(arg, value) < 0;
            case "SCMP_CMP_LE" -> Long.compareUnsigned(arg, value) <= 0;
            case "SCMP_CMP_GE" -> Long.compareUnsigned(arg, value) >= 0;
            case "SCMP_CMP_GT" -> Long.compareUnsigned(arg, value) > 0;
            case "SCMP_CMP_MASKED_EQ" -> (arg & value) == (c.valueTwo() & mask);
            default -> throw new IllegalArgumentException(c.op());
          };
      if (!ok) return false;
    }
    return true;
  }

  private static Map<String, Integer> readTable(String resource) throws IOException {
    Map<String, Integer> table = new LinkedHashMap<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                SyscallTable.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] fields = line.strip().split("\\s+");
        table.put(fields[0], Integer.parseInt(fields[1]));
      }
    }
    return table;
  }
}
