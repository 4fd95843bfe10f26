package org.jocker.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.jocker.runtime.seccomp.BpfInterpreter.SeccompData;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.Test;

class SeccompCompilerTest {
  static final int AUDIT_X86_64 = 0xC000003E;
  static final int AUDIT_I386 = 0x40000003;
  static final int AUDIT_AARCH64 = 0xC00000B7;
  static final int X32_BIT = 0x40000000;
  static final int ALLOW = 0x7fff0000;
  static final int KILL_PROCESS = 0x80000000;
  static final int ERRNO = 0x00050000;

  // x86_64 numbers
  static final int READ = 0;
  static final int WRITE = 1;
  static final int GETPID = 39;
  static final int MKDIR = 83;

  static Spec.Syscall rule(String action, String... names) {
    return new Spec.Syscall(List.of(names), action, null, null);
  }

  static Spec.Seccomp profile(String defaultAction, List<String> arches, Spec.Syscall... rules) {
    return new Spec.Seccomp(defaultAction, null, arches, null, List.of(rules));
  }

  static BpfInterpreter interpreter(Spec.Seccomp seccomp) {
    return new BpfInterpreter(SeccompCompiler.compile(seccomp).program());
  }

  static SeccompData x86_64(int nr, long... args) {
    return new SeccompData(nr, AUDIT_X86_64, 0x401000L, args);
  }

  @Test
  void allowsListedSyscallsAndAppliesDefaultToOthers() {
    BpfInterpreter filter =
        interpreter(profile("SCMP_ACT_ERRNO", null, rule("SCMP_ACT_ALLOW", "read", "write", "mkdir")));

    assertThat(filter.run(x86_64(READ))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(WRITE))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(GETPID))).isEqualTo(ERRNO | 1);
  }

  /**
   * runc's bats "seccomp -ENOSYS handling": a call newer than every syscall the profile names gets
   * ENOSYS (so programs fall back to an older call), unless the default lets calls through or is
   * ENOSYS itself; a rule dropped for repeating the default still counts as named.
   */
  @Test
  void callsNewerThanTheProfileGetEnosys() {
    BpfInterpreter filter = interpreter(profile("SCMP_ACT_ERRNO", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"),
        rule("SCMP_ACT_ALLOW", "read"), rule("SCMP_ACT_ERRNO", "mkdir")));
    assertThat(filter.run(x86_64(GETPID))).isEqualTo(ERRNO | 1);
    assertThat(filter.run(x86_64(MKDIR + 1))).isEqualTo(ERRNO | 38);
    assertThat(filter.run(x86_64(1000))).isEqualTo(ERRNO | 38);
    assertThat(filter.run(new SeccompData(39, AUDIT_I386, 0))).isEqualTo(ERRNO | 1); // i386 mkdir
    assertThat(filter.run(new SeccompData(40, AUDIT_I386, 0))).isEqualTo(ERRNO | 38);
    assertThat(filter.run(new SeccompData(-1, AUDIT_I386, 0))).isEqualTo(ERRNO | 1); // a tracer's skip

    BpfInterpreter permissive = interpreter(profile("SCMP_ACT_ALLOW", null, rule("SCMP_ACT_ERRNO", "read")));
    assertThat(permissive.run(x86_64(1000))).isEqualTo(ALLOW);
    BpfInterpreter enosysDefault = interpreter(new Spec.Seccomp("SCMP_ACT_ERRNO", 1, null, null,
        List.of(rule("SCMP_ACT_ALLOW", "read"))));
    assertThat(enosysDefault.run(x86_64(1000))).isEqualTo(ERRNO | 38);
  }

  /**
   * runc's bats "seccomp -ENOSYS handling" profile: two conditions on argument 0 of one rule are
   * two rules (either value matches), as runc reads them; conditions on different arguments AND.
   */
  @Test
  void conditionsOnTheSameArgumentAreEachARule() {
    int processVmReadv = 310;
    BpfInterpreter filter = interpreter(profile("SCMP_ACT_ERRNO", null,
        new Spec.Syscall(List.of("process_vm_readv"), "SCMP_ACT_ALLOW", null,
            List.of(new Spec.Arg(0, 100, null, "SCMP_CMP_EQ"), new Spec.Arg(0, 9001, null, "SCMP_CMP_EQ"))),
        new Spec.Syscall(List.of("read"), "SCMP_ACT_ALLOW", null,
            List.of(new Spec.Arg(0, 1, null, "SCMP_CMP_EQ"), new Spec.Arg(1, 2, null, "SCMP_CMP_EQ")))));

    assertThat(filter.run(x86_64(processVmReadv, 100))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(processVmReadv, 9001))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(processVmReadv, 0))).isEqualTo(ERRNO | 1);
    assertThat(filter.run(x86_64(READ, 1, 2))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(READ, 1, 3))).isEqualTo(ERRNO | 1);
  }

  @Test
  void encodesEveryAction() {
    List<Spec.Syscall> rules =
        List.of(
            rule("SCMP_ACT_KILL", "getpid"),
            rule("SCMP_ACT_KILL_THREAD", "getppid"),
            rule("SCMP_ACT_KILL_PROCESS", "gettid"),
            rule("SCMP_ACT_TRAP", "getuid"),
            new Spec.Syscall(List.of("getgid"), "SCMP_ACT_ERRNO", 13, null),
            rule("SCMP_ACT_ERRNO", "geteuid"),
            new Spec.Syscall(List.of("getegid"), "SCMP_ACT_TRACE", 1234, null),
            rule("SCMP_ACT_LOG", "getpgrp"));
    BpfInterpreter filter =
        interpreter(new Spec.Seccomp("SCMP_ACT_ALLOW", null, null, null, rules));

    assertThat(filter.run(x86_64(39))).isEqualTo(0x00000000); // getpid: kill thread
    assertThat(filter.run(x86_64(110))).isEqualTo(0x00000000); // getppid
    assertThat(filter.run(x86_64(186))).isEqualTo(KILL_PROCESS); // gettid
    assertThat(filter.run(x86_64(102))).isEqualTo(0x00030000); // getuid: trap
    assertThat(filter.run(x86_64(104))).isEqualTo(ERRNO | 13); // getgid: EACCES
    assertThat(filter.run(x86_64(107))).isEqualTo(ERRNO | 1); // geteuid: EPERM by default
    assertThat(filter.run(x86_64(108))).isEqualTo(0x7ff00000 | 1234); // getegid: trace msg
    assertThat(filter.run(x86_64(111))).isEqualTo(0x7ffc0000); // getpgrp: log
    assertThat(filter.run(x86_64(READ))).isEqualTo(ALLOW);
  }

  @Test
  void defaultErrnoRetSetsTheDefaultErrno() {
    BpfInterpreter filter =
        interpreter(new Spec.Seccomp("SCMP_ACT_ERRNO", 38, null, null, List.of(rule("SCMP_ACT_ALLOW", "read"))));

    assertThat(filter.run(x86_64(GETPID))).isEqualTo(ERRNO | 38);
    assertThat(filter.run(x86_64(READ))).isEqualTo(ALLOW);
  }

  @Test
  void killsProcessOnUnlistedArchitecture() {
    BpfInterpreter nativeOnly = interpreter(profile("SCMP_ACT_ALLOW", null, rule("SCMP_ACT_ERRNO", "mkdir")));

    assertThat(nativeOnly.run(new SeccompData(3, AUDIT_I386, 0))).isEqualTo(KILL_PROCESS);
    assertThat(nativeOnly.run(new SeccompData(READ, AUDIT_AARCH64, 0))).isEqualTo(KILL_PROCESS);
    assertThat(nativeOnly.run(x86_64(READ))).isEqualTo(ALLOW);
  }

  @Test
  void i386UsesItsOwnSyscallNumbers() {
    BpfInterpreter filter =
        interpreter(
            profile("SCMP_ACT_ERRNO", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"),
                rule("SCMP_ACT_ALLOW", "read", "socketcall")));

    assertThat(filter.run(new SeccompData(3, AUDIT_I386, 0))).isEqualTo(ALLOW); // i386 read
    assertThat(filter.run(new SeccompData(102, AUDIT_I386, 0))).isEqualTo(ALLOW); // socketcall
    assertThat(filter.run(new SeccompData(0, AUDIT_I386, 0))).isEqualTo(ERRNO | 1); // restart_syscall
    assertThat(filter.run(x86_64(READ))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(3))).isEqualTo(ERRNO | 38); // x86_64 close: above its only name, read
  }

  @Test
  void x32SyscallsAreKilledUnlessX32IsListed() {
    BpfInterpreter without = interpreter(profile("SCMP_ACT_ERRNO", null, rule("SCMP_ACT_ALLOW", "read")));

    assertThat(without.run(x86_64(X32_BIT | READ))).isEqualTo(KILL_PROCESS);
    assertThat(without.run(x86_64(X32_BIT | 520))).isEqualTo(KILL_PROCESS);
    // nr -1 is a syscall cancelled by a tracer: it gets the default action, not the bad-arch kill.
    assertThat(without.run(x86_64(-1))).isEqualTo(ERRNO | 1);
  }

  @Test
  void x32SyscallsUseTheX32TableWhenListed() {
    BpfInterpreter filter =
        interpreter(
            profile("SCMP_ACT_ERRNO", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X32"),
                rule("SCMP_ACT_ALLOW", "read", "execve")));

    assertThat(filter.run(x86_64(X32_BIT | READ))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(X32_BIT | 520))).isEqualTo(ALLOW); // x32 execve
    assertThat(filter.run(x86_64(X32_BIT | 59))).isEqualTo(ERRNO | 1); // 64-bit-only execve slot
    assertThat(filter.run(x86_64(59))).isEqualTo(ALLOW); // x86_64 execve
    assertThat(filter.run(x86_64(X32_BIT | GETPID))).isEqualTo(ERRNO | 1);
  }

  @Test
  void foreignArchitecturesAreIgnored() {
    BpfInterpreter filter =
        interpreter(profile("SCMP_ACT_ALLOW", List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"), rule("SCMP_ACT_ERRNO", "mkdir")));

    assertThat(filter.run(x86_64(MKDIR))).isEqualTo(ERRNO | 1);
    assertThat(filter.run(new SeccompData(34, AUDIT_AARCH64, 0))).isEqualTo(KILL_PROCESS);
  }

  @Test
  void skipsSyscallNamesUnknownToTheArchitecture() {
    BpfInterpreter filter =
        interpreter(profile("SCMP_ACT_ERRNO", null, rule("SCMP_ACT_ALLOW", "no_such_call", "socketcall", "read")));

    assertThat(filter.run(x86_64(READ))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(102))).isEqualTo(ERRNO | 38); // getuid on x86_64, above read: ENOSYS
  }

  @Test
  void rulesRepeatingTheDefaultActionAreDropped() {
    BpfInterpreter filter =
        interpreter(profile("SCMP_ACT_ALLOW", null, rule("SCMP_ACT_ALLOW", "read"), rule("SCMP_ACT_ERRNO", "write")));

    assertThat(filter.run(x86_64(READ))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(WRITE))).isEqualTo(ERRNO | 1);
  }

  @Test
  void exposesFlagsAsBitmask() {
    Spec.Seccomp seccomp =
        new Spec.Seccomp("SCMP_ACT_ALLOW", null, null,
            List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"), null);

    assertThat(SeccompCompiler.compile(seccomp).flags()).isEqualTo(1 | 2 | 4);
    assertThat(SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", null)).flags()).isZero();
  }

  @Test
  void largeProfilesUseLongJumpsAndStayValid() {
    // 300 conditional rules push the i386 section far beyond an 8-bit jump from the arch dispatch.
    List<Spec.Syscall> rules = new ArrayList<>();
    for (String name : List.of("read", "write", "open", "close", "mmap", "ioctl")) {
      for (int v = 0; v < 50; v++) {
        rules.add(new Spec.Syscall(List.of(name), "SCMP_ACT_ALLOW", null, List.of(new Spec.Arg(0, v, null, "SCMP_CMP_EQ"))));
      }
    }
    rules.add(rule("SCMP_ACT_ALLOW", "getpid"));
    BpfProgram program =
        SeccompCompiler.compile(new Spec.Seccomp("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), null, rules))
            .program();
    BpfInterpreter filter = new BpfInterpreter(program);

    assertThat(program.instructions()).anyMatch(insn -> insn.code() == 0x05 && insn.k() > 255);
    assertThat(filter.run(x86_64(READ, 49))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(READ, 50))).isEqualTo(ERRNO | 1);
    assertThat(filter.run(new SeccompData(20, AUDIT_I386, 0))).isEqualTo(ALLOW); // i386 getpid
    assertThat(filter.run(new SeccompData(6, AUDIT_I386, 0, 7))).isEqualTo(ALLOW); // i386 close(7)
    assertThat(filter.run(new SeccompData(6, AUDIT_I386, 0, 70))).isEqualTo(ERRNO | 1);
  }

  @Test
  void encodesLittleEndianSockFilters() {
    byte[] bytes = SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", null)).program().bytes();

    // First instruction: ld [4] (arch) = code 0x0020, jt 0, jf 0, k 4.
    assertThat(bytes).startsWith(0x20, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00);
    assertThat(bytes.length % 8).isZero();
  }

  @Test
  void rejectsUnknownAction() {
    assertThatThrownBy(() -> SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", null, rule("SCMP_ACT_ALLOW", "read"), rule("SCMP_ACT_FOO", "write"))))
        .isInstanceOf(SeccompException.class)
        .hasMessage("linux.seccomp.syscalls[1].action: unknown action \"SCMP_ACT_FOO\"");
    assertThatThrownBy(() -> SeccompCompiler.compile(profile("SCMP_ACT_NOPE", null)))
        .hasMessage("linux.seccomp.defaultAction: unknown action \"SCMP_ACT_NOPE\"");
  }

  static Spec.Seccomp withAgent(String defaultAction, String listenerPath, Spec.Syscall... rules) {
    return new Spec.Seccomp(defaultAction, null, null, List.of("SECCOMP_FILTER_FLAG_TSYNC"), List.of(rules),
        listenerPath, "meta");
  }

  /** SCMP_ACT_NOTIFY: the call waits for the agent (RET_USER_NOTIF), and the filter has a listener. */
  @Test
  void notifyRulesReturnUserNotifAndAskForAListener() {
    SeccompFilter filter = SeccompCompiler.compile(withAgent("SCMP_ACT_ALLOW", "/run/agent.sock",
        rule("SCMP_ACT_NOTIFY", "mkdir"), rule("SCMP_ACT_ERRNO", "getpid")));
    BpfInterpreter run = new BpfInterpreter(filter.program());

    assertThat(run.run(x86_64(MKDIR))).isEqualTo(0x7fc00000);
    assertThat(run.run(x86_64(GETPID))).isEqualTo(ERRNO | 1);
    assertThat(run.run(x86_64(READ))).isEqualTo(ALLOW);
    // NEW_LISTENER (8) in, TSYNC out: the kernel refuses both together, and the init has one thread.
    assertThat(filter.flags()).isEqualTo(SeccompFlags.NEW_LISTENER);
  }

  @Test
  void aListenerPathWithoutNotifyRulesChangesNothing() {
    SeccompFilter filter = SeccompCompiler.compile(withAgent("SCMP_ACT_ALLOW", "/run/agent.sock",
        rule("SCMP_ACT_ERRNO", "mkdir")));
    assertThat(filter.flags()).isEqualTo(SeccompFlags.TSYNC);
  }

  /** runc's refusals: NOTIFY as default action, on write; ours: on sendmsg, and without an agent. */
  @Test
  void refusesNotifyWhereNoAgentCouldAnswer() {
    assertThatThrownBy(() -> SeccompCompiler.compile(withAgent("SCMP_ACT_NOTIFY", "/run/agent.sock")))
        .isInstanceOf(SeccompException.class)
        .hasMessage("linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default action");
    assertThatThrownBy(() -> SeccompCompiler.compile(withAgent("SCMP_ACT_ALLOW", "/run/agent.sock",
            rule("SCMP_ACT_ALLOW", "read"), rule("SCMP_ACT_NOTIFY", "mkdir", "write"))))
        .hasMessage("linux.seccomp.syscalls[1]: SCMP_ACT_NOTIFY cannot be used for the write syscall");
    assertThatThrownBy(() -> SeccompCompiler.compile(withAgent("SCMP_ACT_ALLOW", "/run/agent.sock",
            rule("SCMP_ACT_NOTIFY", "sendmsg"))))
        .hasMessage("linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY cannot be used for the sendmsg syscall");
    assertThatThrownBy(() -> SeccompCompiler.compile(withAgent("SCMP_ACT_ALLOW", "", rule("SCMP_ACT_NOTIFY", "mkdir"))))
        .hasMessage("linux.seccomp.listenerPath: not set, but SCMP_ACT_NOTIFY is used");
    assertThatThrownBy(() -> SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", null, rule("SCMP_ACT_NOTIFY", "mkdir"))))
        .hasMessage("linux.seccomp.listenerPath: not set, but SCMP_ACT_NOTIFY is used");
  }

  @Test
  void rejectsUnknownOpAndOutOfRangeIndex() {
    Spec.Syscall badOp = new Spec.Syscall(List.of("read"), "SCMP_ACT_ERRNO", null, List.of(new Spec.Arg(0, 1, null, "SCMP_CMP_FOO")));
    Spec.Syscall badIndex = new Spec.Syscall(List.of("read"), "SCMP_ACT_ERRNO", null, List.of(new Spec.Arg(0, 1, null, "SCMP_CMP_EQ"), new Spec.Arg(6, 1, null, "SCMP_CMP_EQ")));

    assertThatThrownBy(() -> SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", null, badOp)))
        .isInstanceOf(SeccompException.class)
        .hasMessage("linux.seccomp.syscalls[0].args[0].op: unknown op \"SCMP_CMP_FOO\"");
    assertThatThrownBy(() -> SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", null, badIndex)))
        .isInstanceOf(SeccompException.class)
        .hasMessage("linux.seccomp.syscalls[0].args[1].index: 6 is out of range 0..5");
  }

  @Test
  void rejectsUnknownArchitectureFlagAndErrno() {
    assertThatThrownBy(() -> SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"))))
        .hasMessage("linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_VAX\"");
    assertThatThrownBy(() -> SeccompCompiler.compile(new Spec.Seccomp("SCMP_ACT_ALLOW", null, null, List.of("SECCOMP_FILTER_FLAG_NEW_LISTENER"), null)))
        .hasMessage("linux.seccomp.flags[0]: unsupported flag \"SECCOMP_FILTER_FLAG_NEW_LISTENER\"");
    assertThatThrownBy(() -> SeccompCompiler.compile(new Spec.Seccomp("SCMP_ACT_ERRNO", 70000, null, null, null)))
        .hasMessageContaining("linux.seccomp.defaultAction: errnoRet 70000");
  }
}
