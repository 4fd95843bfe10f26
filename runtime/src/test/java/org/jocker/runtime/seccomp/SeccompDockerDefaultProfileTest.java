package org.jocker.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jocker.runtime.seccomp.SeccompCompilerTest.ALLOW;
import static org.jocker.runtime.seccomp.SeccompCompilerTest.AUDIT_I386;
import static org.jocker.runtime.seccomp.SeccompCompilerTest.ERRNO;
import static org.jocker.runtime.seccomp.SeccompCompilerTest.KILL_PROCESS;
import static org.jocker.runtime.seccomp.SeccompCompilerTest.X32_BIT;
import static org.jocker.runtime.seccomp.SeccompCompilerTest.x86_64;

import java.util.Set;
import org.jocker.runtime.seccomp.BpfInterpreter.SeccompData;
import org.jocker.runtime.spec.DockerDefaultProfile;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.Test;

class SeccompDockerDefaultProfileTest {
  private static final int EPERM = ERRNO | 1;
  private static final int ENOSYS = ERRNO | 38;

  // x86_64 numbers
  private static final int READ = 0;
  private static final int WRITE = 1;
  private static final int PTRACE = 101;
  private static final int EXECVE = 59;
  private static final int CLONE = 56;
  private static final int CLONE3 = 435;
  private static final int MOUNT = 165;
  private static final int UMOUNT2 = 166;
  private static final int UNSHARE = 272;
  private static final int SETNS = 308;
  private static final int REBOOT = 169;
  private static final int KEXEC_LOAD = 246;
  private static final int INIT_MODULE = 175;
  private static final int SETTIMEOFDAY = 164;
  private static final int PERSONALITY = 135;
  private static final int SOCKET = 41;
  private static final int ARCH_PRCTL = 158;

  private static final long CLONE_NEWUSER = 0x10000000L;
  private static final long CLONE_NEWNS = 0x00020000L;
  private static final long THREAD_FLAGS = 0x003D0F00L; // what pthread_create passes
  private static final long SIGCHLD = 17;

  private static final Set<String> DOCKER_DEFAULT_CAPS =
      Set.of(
          "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
          "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
          "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

  private static BpfInterpreter filterFor(Set<String> caps) {
    return new BpfInterpreter(SeccompCompiler.compile(DockerDefaultProfile.forCapabilities(caps)).program());
  }

  @Test
  void allowsOrdinarySyscalls() {
    BpfInterpreter filter = filterFor(DOCKER_DEFAULT_CAPS);

    assertThat(filter.run(x86_64(READ))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(WRITE))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(EXECVE))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(ARCH_PRCTL))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(PTRACE))).isEqualTo(ALLOW);
  }

  @Test
  void deniesPrivilegedSyscallsWithEpermWithoutCapabilities() {
    BpfInterpreter filter = filterFor(DOCKER_DEFAULT_CAPS);

    for (int nr : new int[] {MOUNT, UMOUNT2, UNSHARE, SETNS, KEXEC_LOAD, REBOOT, INIT_MODULE, SETTIMEOFDAY}) {
      assertThat(filter.run(x86_64(nr))).as("syscall %d", nr).isEqualTo(EPERM);
    }
  }

  @Test
  void capabilitiesUnlockTheirSyscalls() {
    BpfInterpreter admin = filterFor(Set.of("CAP_SYS_ADMIN"));
    BpfInterpreter boot = filterFor(Set.of("CAP_SYS_BOOT"));
    BpfInterpreter time = filterFor(Set.of("CAP_SYS_TIME"));
    BpfInterpreter module = filterFor(Set.of("CAP_SYS_MODULE"));

    assertThat(admin.run(x86_64(MOUNT))).isEqualTo(ALLOW);
    assertThat(admin.run(x86_64(UNSHARE))).isEqualTo(ALLOW);
    assertThat(admin.run(x86_64(SETNS))).isEqualTo(ALLOW);
    assertThat(admin.run(x86_64(REBOOT))).isEqualTo(EPERM);
    assertThat(boot.run(x86_64(REBOOT))).isEqualTo(ALLOW);
    assertThat(time.run(x86_64(SETTIMEOFDAY))).isEqualTo(ALLOW);
    assertThat(module.run(x86_64(INIT_MODULE))).isEqualTo(ALLOW);
    // kexec_load is never allowed, whatever the capabilities.
    assertThat(filterFor(Set.of("CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_MODULE")).run(x86_64(KEXEC_LOAD)))
        .isEqualTo(EPERM);
  }

  @Test
  void cloneMayNotCreateNamespacesWithoutSysAdmin() {
    BpfInterpreter filter = filterFor(DOCKER_DEFAULT_CAPS);

    assertThat(filter.run(x86_64(CLONE, SIGCHLD))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(CLONE, THREAD_FLAGS))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(CLONE, CLONE_NEWUSER | SIGCHLD))).isEqualTo(EPERM);
    assertThat(filter.run(x86_64(CLONE, CLONE_NEWNS))).isEqualTo(EPERM);
    assertThat(filter.run(x86_64(CLONE3))).isEqualTo(ENOSYS);
  }

  @Test
  void cloneIsUnrestrictedWithSysAdmin() {
    BpfInterpreter filter = filterFor(Set.of("CAP_SYS_ADMIN"));

    assertThat(filter.run(x86_64(CLONE, CLONE_NEWUSER | SIGCHLD))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(CLONE3))).isEqualTo(ALLOW);
  }

  @Test
  void personalityOnlyForHarmlessPersonas() {
    BpfInterpreter filter = filterFor(DOCKER_DEFAULT_CAPS);

    for (long persona : new long[] {0, 8, 0x20000, 0x20008, 0xFFFFFFFFL}) {
      assertThat(filter.run(x86_64(PERSONALITY, persona))).as("persona %#x", persona).isEqualTo(ALLOW);
    }
    assertThat(filter.run(x86_64(PERSONALITY, 0x0040000))).isEqualTo(EPERM); // ADDR_NO_RANDOMIZE
  }

  @Test
  void socketAllowedExceptVsock() {
    BpfInterpreter filter = filterFor(DOCKER_DEFAULT_CAPS);

    assertThat(filter.run(x86_64(SOCKET, 2))).isEqualTo(ALLOW); // AF_INET
    assertThat(filter.run(x86_64(SOCKET, 40))).isEqualTo(EPERM); // AF_VSOCK
  }

  @Test
  void coversI386AndX32() {
    BpfInterpreter filter = filterFor(DOCKER_DEFAULT_CAPS);

    assertThat(filter.run(new SeccompData(11, AUDIT_I386, 0))).isEqualTo(ALLOW); // i386 execve
    assertThat(filter.run(new SeccompData(102, AUDIT_I386, 0))).isEqualTo(ALLOW); // socketcall
    assertThat(filter.run(new SeccompData(21, AUDIT_I386, 0))).isEqualTo(EPERM); // i386 mount
    assertThat(filter.run(new SeccompData(120, AUDIT_I386, 0, CLONE_NEWUSER))).isEqualTo(EPERM); // clone
    assertThat(filter.run(new SeccompData(120, AUDIT_I386, 0, SIGCHLD))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(X32_BIT | 520))).isEqualTo(ALLOW); // x32 execve
    assertThat(filter.run(x86_64(X32_BIT | MOUNT))).isEqualTo(EPERM);
    // x32 compares the low word only (as libseccomp): the kernel reads socket's family as an int.
    assertThat(filter.run(x86_64(X32_BIT | SOCKET, 0xFFFFFFFF_00000000L | 40))).isEqualTo(EPERM);
    assertThat(filter.run(x86_64(X32_BIT | PERSONALITY, 0x1_00000000L))).isEqualTo(ALLOW);
    assertThat(filter.run(new SeccompData(453, AUDIT_I386, 0))).isEqualTo(ALLOW); // map_shadow_stack
    assertThat(filter.run(new SeccompData(READ, 0xC00000B7, 0))).isEqualTo(KILL_PROCESS); // aarch64
  }

  @Test
  void fitsTheKernelLimit() {
    for (Set<String> caps : java.util.List.of(Set.<String>of(), DOCKER_DEFAULT_CAPS, Set.of("CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_NICE"))) {
      SeccompFilter filter = SeccompCompiler.compile(DockerDefaultProfile.forCapabilities(caps));
      assertThat(filter.program().instructionCount()).isLessThan(BpfProgram.MAX_INSTRUCTIONS);
      assertThat(filter.flags()).isZero();
    }
  }

  @Test
  void resolvesToAnOciProfileForTheNativeArchitectures() {
    Spec.Seccomp seccomp = DockerDefaultProfile.forCapabilities(Set.of());

    assertThat(seccomp.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
    assertThat(seccomp.defaultErrnoRet()).isEqualTo(1);
    assertThat(seccomp.architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
    assertThat(seccomp.syscalls()).noneMatch(s -> s.names().contains("mount"));
    assertThat(seccomp.syscalls()).noneMatch(s -> s.names().contains("set_tls")); // arm-only
    assertThat(seccomp.syscalls()).anyMatch(s -> s.names().contains("modify_ldt"));
  }
}
