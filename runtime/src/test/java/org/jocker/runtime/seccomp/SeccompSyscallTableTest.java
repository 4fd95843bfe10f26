package org.jocker.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeccompSyscallTableTest {
  @ParameterizedTest
  @CsvSource({
    "read, 0", "execve, 59", "clone, 56", "ptrace, 101", "arch_prctl, 158", "epoll_ctl_old, 214",
    "pidfd_send_signal, 424", "io_uring_setup, 425", "open_tree, 428", "pidfd_open, 434",
    "clone3, 435", "close_range, 436", "openat2, 437", "pidfd_getfd, 438", "faccessat2, 439",
    "process_madvise, 440", "epoll_pwait2, 441", "mount_setattr, 442", "landlock_create_ruleset, 444",
    "landlock_restrict_self, 446", "memfd_secret, 447", "futex_waitv, 449", "cachestat, 451",
    "fchmodat2, 452", "map_shadow_stack, 453", "futex_wake, 454", "listmount, 458", "mseal, 462"
  })
  void x86_64Numbers(String name, int number) {
    assertThat(Architecture.X86_64.syscallNumber(name)).hasValue(number);
  }

  @ParameterizedTest
  @CsvSource({
    "restart_syscall, 0", "read, 3", "execve, 11", "mount, 21", "socketcall, 102", "clone, 120",
    "personality, 136", "_llseek, 140", "mmap2, 192", "clock_gettime64, 403", "clone3, 435",
    "fchmodat2, 452", "mseal, 462"
  })
  void i386Numbers(String name, int number) {
    assertThat(Architecture.X86.syscallNumber(name)).hasValue(number);
  }

  @Test
  void x32NumbersCarryTheX32Bit() {
    assertThat(Architecture.X32.syscallNumber("read")).hasValue(0x40000000);
    assertThat(Architecture.X32.syscallNumber("execve")).hasValue(0x40000000 | 520);
    assertThat(Architecture.X32.syscallNumber("clone3")).hasValue(0x40000000 | 435);
  }

  @Test
  void abiSpecificCallsAreAbsentElsewhere() {
    assertThat(Architecture.X86_64.syscallNumber("socketcall")).isEmpty();
    assertThat(Architecture.X86.syscallNumber("epoll_ctl_old")).isEmpty();
    assertThat(Architecture.X86.syscallNumber("uretprobe")).isEmpty();
    assertThat(Architecture.X86_64.syscallNumber("no_such_call")).isEmpty();
  }
}
