package org.jocker.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jocker.runtime.seccomp.BpfInterpreter.SeccompData;
import org.jocker.runtime.spec.DockerDefaultProfile;
import org.jocker.runtime.spec.DockerProfile;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the syscall tables and the compiler against libseccomp, the library runc and crun build
 * their filters with: libseccomp resolves every name, compiles Docker's default profile (as runc
 * would) for several capability sets, and both BPF programs run over a grid of inputs.
 *
 * <p>The reference runs in one python3 process (Debian's python3-seccomp, installed by
 * scripts/install-deps); when it is missing the test fails, it does not skip.
 */
class SeccompLibseccompReferenceTest {
  /** python3-seccomp is built for Debian's interpreter, not for whatever python3 is first on PATH. */
  private static final String PYTHON = "/usr/bin/python3";
  private static final String SCRIPT = "libseccomp_reference.py";

  /**
   * Calls newer than Debian 12's libseccomp 2.5.4, which it therefore skips; their numbers were
   * checked by hand against the kernel's syscall_64.tbl/syscall_32.tbl. Any other name libseccomp
   * does not know must be unknown to us too.
   */
  private static final Set<String> NEWER_THAN_LIBSECCOMP =
      Set.of(
          "uretprobe", "statmount", "listmount", "lsm_get_self_attr", "lsm_set_self_attr",
          "lsm_list_modules", "mseal", "setxattrat", "getxattrat", "listxattrat", "removexattrat",
          "open_tree_attr", "file_getattr", "file_setattr");

  private static final Map<Architecture, String> TABLES =
      Map.of(
          Architecture.X86_64, "syscalls-x86_64.txt",
          Architecture.X86, "syscalls-i386.txt",
          Architecture.X32, "syscalls-x32.txt");

  private static final Set<String> DOCKER_DEFAULT_CAPS =
      Set.of(
          "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
          "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
          "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

  /** How far past the highest number in any table the grid goes, so it covers unknown numbers too. */
  private static final int NUMBERS_PAST_THE_TABLES = 64;
  /** Numbers that are no syscall on any ABI, or the x32 bit where it does not belong. */
  private static final int[] ODD_NUMBERS = {
    -1, -2, 0x3FFFFFFF, 0x40000000, 0x40000000 | 520, 0x7FFFFFFF, 0x80000000, 0xC0000000
  };
  /** Audit arches an x86_64 kernel never reports to a filter, or not these ABIs at all. */
  private static final int[] FOREIGN_AUDIT_ARCHES = {0, 0xC00000B7, 0x4000003E, 0x40000028};

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Case> cases;
  private static JsonNode reference;
  private static int highestPlainNumber;

  /** One profile: what it is called in messages and its resolved OCI form. */
  private record Case(String label, Spec.Seccomp profile) {}

  @BeforeAll
  static void runLibseccomp() throws Exception {
    cases = profiles();
    Set<String> names = new TreeSet<>();
    for (Architecture arch : Architecture.values()) {
      Map<String, Integer> table = readTable(arch);
      names.addAll(table.keySet());
      for (int nr : table.values()) highestPlainNumber = Math.max(highestPlainNumber, nr);
    }
    highestPlainNumber += NUMBERS_PAST_THE_TABLES;
    for (Case c : cases) c.profile().syscalls().forEach(s -> names.addAll(s.names()));
    Map<String, Object> request =
        Map.of("names", names, "profiles", cases.stream().map(Case::profile).toList());
    reference = JSON.readTree(runReference(JSON.writeValueAsBytes(request)));
  }

  @Test
  void everySyscallNameResolvesToLibseccompsNumber() throws IOException {
    List<String> mismatches = new ArrayList<>();
    int compared = 0;
    for (Architecture arch : Architecture.values()) {
      JsonNode numbers = reference.get("numbers").get(arch.specName());
      for (Map.Entry<String, JsonNode> entry : numbers.properties()) {
        String name = entry.getKey();
        JsonNode theirs = entry.getValue();
        var ours = arch.syscallNumber(name);
        compared++;
        boolean agrees =
            switch (theirs.isInt() ? "number" : theirs.asText()) {
              case "number" -> ours.isPresent() && ours.getAsInt() == theirs.asInt();
              case "absent" -> ours.isEmpty();
              // i386 socket/IPC calls, some without a direct number: the filter comparison checks them.
              case "multiplexed" -> true;
              case "unknown" -> ours.isEmpty() || NEWER_THAN_LIBSECCOMP.contains(name);
              default -> throw new IllegalStateException("bad reference answer " + theirs);
            };
        if (!agrees) mismatches.add(arch + " " + name + ": ours " + ours + ", libseccomp " + theirs);
      }
    }
    System.out.printf("libseccomp reference: %d (ABI, name) pairs resolved%n", compared);
    assertThat(mismatches).as("names resolved differently from libseccomp").isEmpty();
  }

  @Test
  void compiledProfilesDecideAsLibseccompsFilters() throws IOException {
    List<String> mismatches = new ArrayList<>();
    long compared = 0;
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      JsonNode theirFilter = reference.get("filters").get(i);
      BpfInterpreter ours = new BpfInterpreter(SeccompCompiler.compile(c.profile()).program());
      BpfInterpreter theirs =
          new BpfInterpreter(new BpfProgram(Base64.getDecoder().decode(theirFilter.get("bpf").asText())));
      int defaultAction = SeccompAction.parse(
          c.profile().defaultAction(), c.profile().defaultErrnoRet(), "test").returnValue();
      // The reference really has the profile's default: a number no ABI has gets it.
      assertThat(theirs.run(new SeccompData(highestPlainNumber, Architecture.X86_64.auditArch(), 0)))
          .as("%s: libseccomp's default action", c.label())
          .isEqualTo(defaultAction);
      List<long[]> argumentVectors = argumentVectors(c.profile());
      RuncEnosys runcEnosys = RuncEnosys.of(c.profile());
      for (Architecture arch : Architecture.values()) {
        Set<Integer> skippedByLibseccomp = numbersOf(arch, skippedNames(theirFilter));
        for (int nr : grid(arch)) {
          if (skippedByLibseccomp.contains(nr)) continue;
          for (long[] args : argumentVectors) {
            SeccompData data = new SeccompData(nr, arch.auditArch(), 0x401000L, args);
            compared++;
            int ourAction = ours.run(data);
            int theirAction = runcEnosys.applies(arch, nr) ? SeccompAction.errno(38).returnValue() : theirs.run(data);
            if (ourAction != theirAction && mismatches.size() < 40) {
              mismatches.add(String.format("%s %s nr %#x %s: ours %#x, libseccomp %#x",
                  c.label(), arch, nr, hex(args), ourAction, theirAction));
            }
          }
        }
      }
      for (int auditArch : FOREIGN_AUDIT_ARCHES) {
        for (int nr : new int[] {0, 59, 0x40000000}) {
          SeccompData data = new SeccompData(nr, auditArch, 0);
          compared++;
          if (ours.run(data) != theirs.run(data)) {
            mismatches.add(String.format("%s audit arch %#x nr %#x: ours %#x, libseccomp %#x",
                c.label(), auditArch, nr, ours.run(data), theirs.run(data)));
          }
        }
      }
    }
    System.out.printf("libseccomp reference: %d decisions compared over %d profiles%n", compared, cases.size());
    assertThat(mismatches).as("decisions that differ from libseccomp's filter").isEmpty();
  }

  /**
   * runc's patch on top of libseccomp's filter: on a filtered ABI, a call above every name the
   * profile gives that ABI gets ENOSYS, unless the default allows, logs or traces, or is ENOSYS.
   * Worked out once per profile: the grid asks it for every decision.
   */
  private record RuncEnosys(Map<Architecture, Integer> lastNumbers) {
    static RuncEnosys of(Spec.Seccomp profile) {
      String action = profile.defaultAction();
      if (action.equals("SCMP_ACT_ALLOW") || action.equals("SCMP_ACT_LOG") || action.equals("SCMP_ACT_TRACE")
          || (action.equals("SCMP_ACT_ERRNO") && Integer.valueOf(38).equals(profile.defaultErrnoRet()))) {
        return new RuncEnosys(Map.of());
      }
      Map<Architecture, Integer> last = new LinkedHashMap<>();
      for (Architecture arch : SeccompPolicy.from(profile).architectures()) {
        profile.syscalls().stream().flatMap(s -> s.names().stream()).map(arch::syscallNumber)
            .filter(java.util.OptionalInt::isPresent).mapToInt(java.util.OptionalInt::getAsInt)
            .reduce((a, b) -> Integer.compareUnsigned(a, b) >= 0 ? a : b)
            .ifPresent(nr -> last.put(arch, nr));
      }
      return new RuncEnosys(last);
    }

    boolean applies(Architecture arch, int nr) {
      if (arch == Architecture.X86_64 || arch == Architecture.X32) {
        // one audit arch: the x32 bit says which table (and x32's only if it is filtered at all)
        arch = Integer.compareUnsigned(nr, Architecture.X32_SYSCALL_BIT) >= 0 ? Architecture.X32 : Architecture.X86_64;
      }
      Integer last = lastNumbers.get(arch);
      // a tracer's skip (-1) keeps the default action
      return last != null && nr != -1 && Integer.compareUnsigned(nr, last) > 0;
    }
  }

  /** Docker's default profile for capability sets that switch each of its conditional rules. */
  private static List<Case> profiles() throws IOException {
    Set<String> allCaps = new TreeSet<>();
    DockerProfile docker = DockerDefaultProfile.profile();
    for (DockerProfile.Rule rule : docker.syscalls()) {
      if (rule.includes() != null) allCaps.addAll(rule.includes().capsOrEmpty());
      if (rule.excludes() != null) allCaps.addAll(rule.excludes().capsOrEmpty());
    }
    Set<String> allButSysAdmin = new TreeSet<>(allCaps);
    allButSysAdmin.remove("CAP_SYS_ADMIN");
    List<Case> result = new ArrayList<>();
    result.add(new Case("no caps", DockerDefaultProfile.resolve(docker, Set.of())));
    result.add(new Case("docker caps", DockerDefaultProfile.resolve(docker, DOCKER_DEFAULT_CAPS)));
    result.add(new Case("all caps", DockerDefaultProfile.resolve(docker, allCaps)));
    result.add(new Case("all but SYS_ADMIN", DockerDefaultProfile.resolve(docker, allButSysAdmin)));
    // A name nobody knows is skipped while the rest of its rule still applies, by both compilers.
    Spec.Seccomp noCaps = DockerDefaultProfile.resolve(docker, Set.of());
    List<Spec.Syscall> withUnknown = new ArrayList<>(noCaps.syscalls());
    withUnknown.add(new Spec.Syscall(List.of("jocker_no_such_syscall", "mount"), "SCMP_ACT_ALLOW", null, null));
    result.add(new Case("unknown name",
        new Spec.Seccomp(noCaps.defaultAction(), noCaps.defaultErrnoRet(), noCaps.architectures(),
            null, withUnknown)));
    return result;
  }

  /**
   * All-zero, all-ones and high-word-only arguments, plus, for every argument a condition of the
   * profile looks at, the boundary values of that condition: the value, ±1, with high bits set or
   * cut, and for masked compares the datum with each mask bit flipped and the bits outside the mask.
   */
  private static List<long[]> argumentVectors(Spec.Seccomp profile) {
    Map<Integer, Set<Long>> candidates = new LinkedHashMap<>();
    for (Spec.Syscall rule : profile.syscalls()) {
      if (rule.args() == null) continue;
      for (Spec.Arg arg : rule.args()) {
        Set<Long> values = candidates.computeIfAbsent(arg.index(), i -> new LinkedHashSet<>());
        List<Long> bases = new ArrayList<>(List.of(arg.value()));
        if ("SCMP_CMP_MASKED_EQ".equals(arg.op())) {
          long mask = arg.value();
          long datum = arg.valueTwo() == null ? 0 : arg.valueTwo();
          bases.add(datum);
          bases.add(datum | ~mask);
          for (int bit = 0; bit < 64; bit++) {
            if ((mask & (1L << bit)) != 0) bases.add(datum ^ (1L << bit));
          }
        }
        for (long base : bases) {
          for (long v : new long[] {base, base - 1, base + 1}) {
            values.add(v);
            values.add(v | 0xFFFFFFFF_00000000L);
            values.add(v ^ 0x1_00000000L);
            values.add(v & 0xFFFFFFFFL);
          }
        }
      }
    }
    List<long[]> vectors = new ArrayList<>();
    vectors.add(new long[6]);
    vectors.add(new long[] {-1, -1, -1, -1, -1, -1});
    vectors.add(new long[] {1L << 32, 1L << 32, 1L << 32, 1L << 32, 1L << 32, 1L << 32});
    for (Map.Entry<Integer, Set<Long>> entry : candidates.entrySet()) {
      for (long value : entry.getValue()) {
        long[] args = new long[6];
        args[entry.getKey()] = value;
        vectors.add(args);
      }
    }
    return vectors;
  }

  /** Every number of the ABI from 0 to past its table's end, plus numbers that are no syscall. */
  private static Set<Integer> grid(Architecture arch) {
    int bit = arch == Architecture.X32 ? Architecture.X32_SYSCALL_BIT : 0;
    Set<Integer> numbers = new LinkedHashSet<>();
    for (int nr = 0; nr <= highestPlainNumber; nr++) numbers.add(nr | bit);
    for (int odd : ODD_NUMBERS) numbers.add(odd);
    return numbers;
  }

  private static Set<String> skippedNames(JsonNode filter) {
    Set<String> names = new TreeSet<>();
    filter.get("skipped").forEach(n -> names.add(n.asText()));
    Set<String> expected = new TreeSet<>(NEWER_THAN_LIBSECCOMP);
    expected.add("jocker_no_such_syscall");
    assertThat(names).as("names libseccomp skipped").isSubsetOf(expected);
    return names;
  }

  /** Our numbers for names libseccomp skipped as too new: there the two filters must differ. */
  private static Set<Integer> numbersOf(Architecture arch, Set<String> names) {
    Set<Integer> numbers = new TreeSet<>();
    for (String name : names) {
      if (NEWER_THAN_LIBSECCOMP.contains(name)) arch.syscallNumber(name).ifPresent(numbers::add);
    }
    return numbers;
  }

  private static byte[] runReference(byte[] request) throws IOException, InterruptedException, URISyntaxException {
    Path script = Path.of(SeccompLibseccompReferenceTest.class.getResource(SCRIPT).toURI());
    Process python = new ProcessBuilder(PYTHON, script.toString()).start();
    try (OutputStream in = python.getOutputStream()) {
      in.write(request);
    }
    byte[] answer = python.getInputStream().readAllBytes();
    String errors = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!python.waitFor(60, TimeUnit.SECONDS)) {
      python.destroyForcibly();
      throw new AssertionError("libseccomp reference did not finish");
    }
    assertThat(python.exitValue())
        .as("libseccomp reference (%s %s) failed; scripts/install-deps installs python3-seccomp:%n%s",
            PYTHON, script, errors)
        .isZero();
    return answer;
  }

  private static Map<String, Integer> readTable(Architecture arch) throws IOException {
    Map<String, Integer> table = new LinkedHashMap<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        SyscallTable.class.getResourceAsStream(TABLES.get(arch)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        String content = line.replaceFirst("#.*", "").strip();
        if (content.isEmpty()) continue;
        String[] fields = content.split("\\s+");
        table.put(fields[0], Integer.parseInt(fields[1]));
      }
    }
    return table;
  }

  private static String hex(long[] args) {
    StringBuilder out = new StringBuilder("[");
    for (long arg : args) out.append(out.length() > 1 ? ", " : "").append(Long.toHexString(arg));
    return out.append(']').toString();
  }
}
