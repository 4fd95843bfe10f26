package org.jocker.runtime.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.jocker.kernel.KernelException;
import org.jocker.kernel.NativeCalls;

/**
 * The bpf(2) calls that put a device filter on a cgroup v2 directory: load a
 * BPF_PROG_TYPE_CGROUP_DEVICE program and attach it with BPF_F_ALLOW_MULTI, so that programs of
 * the parent cgroups (a host's or an outer container's) keep applying too.
 */
public final class Bpf {
  private static final int BPF_PROG_LOAD = 5;
  private static final int BPF_PROG_ATTACH = 8;
  private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
  private static final int BPF_CGROUP_DEVICE = 6;
  private static final int BPF_F_ALLOW_MULTI = 2;
  /** Bigger than every field used; the kernel requires the bytes it does not know to be zero. */
  private static final int ATTR_SIZE = 128;
  private static final int LOG_SIZE = 64 * 1024;
  private static final int O_RDONLY_DIRECTORY_CLOEXEC = 0x10000 | 0x80000;

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final MethodHandle SYSCALL3 = NativeCalls.errnoFunction("syscall",
      FunctionDescriptor.of(LONG, LONG, LONG, ValueLayout.ADDRESS, LONG), Linker.Option.firstVariadicArg(1));
  private static final MethodHandle OPEN = NativeCalls.errnoFunction("open",
      FunctionDescriptor.of(INT, ValueLayout.ADDRESS, INT));
  private static final MethodHandle CLOSE = NativeCalls.function("close", FunctionDescriptor.of(INT, INT));

  private Bpf() {}

  /**
   * Loads the program (eBPF instructions, 8 bytes each) and attaches it to the cgroup v2
   * directory. The attachment keeps the program; removing the cgroup releases both.
   */
  public static void attachDeviceFilter(Path cgroupDir, byte[] instructions, String license) {
    NativeCalls.invoke((arena, st) -> {
      int dirFd = (int) OPEN.invokeExact(st, arena.allocateFrom(cgroupDir.toString()), O_RDONLY_DIRECTORY_CLOEXEC);
      if (dirFd < 0) {
        throw new KernelException("open " + cgroupDir, NativeCalls.errno(st));
      }
      try {
        int progFd = load(arena, st, instructions, license);
        try {
          MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
          attr.set(INT, 0, dirFd); // target_fd
          attr.set(INT, 4, progFd); // attach_bpf_fd
          attr.set(INT, 8, BPF_CGROUP_DEVICE); // attach_type
          attr.set(INT, 12, BPF_F_ALLOW_MULTI); // attach_flags
          if (bpf(st, BPF_PROG_ATTACH, attr) < 0) {
            throw new KernelException("bpf(BPF_PROG_ATTACH)", NativeCalls.errno(st));
          }
        } finally {
          int ignored = (int) CLOSE.invokeExact(progFd);
        }
      } finally {
        int ignored = (int) CLOSE.invokeExact(dirFd);
      }
      return null;
    });
  }

  /** BPF_PROG_LOAD; on failure loads again with the verifier's log, to say why. */
  private static int load(Arena arena, MemorySegment st, byte[] instructions, String license) throws Throwable {
    MemorySegment insns = arena.allocate(instructions.length, 8);
    MemorySegment.copy(instructions, 0, insns, ValueLayout.JAVA_BYTE, 0, instructions.length);
    MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
    attr.set(INT, 0, BPF_PROG_TYPE_CGROUP_DEVICE); // prog_type
    attr.set(INT, 4, instructions.length / 8); // insn_cnt
    attr.set(LONG, 8, insns.address()); // insns
    attr.set(LONG, 16, arena.allocateFrom(license).address()); // license
    attr.setString(48, "jocker_devices"); // prog_name, 16 bytes with the NUL
    int fd = (int) bpf(st, BPF_PROG_LOAD, attr);
    if (fd >= 0) {
      return fd;
    }
    int errno = NativeCalls.errno(st);
    MemorySegment log = arena.allocate(LOG_SIZE);
    attr.set(INT, 24, 1); // log_level
    attr.set(INT, 28, LOG_SIZE); // log_size
    attr.set(LONG, 32, log.address()); // log_buf
    int again = (int) bpf(st, BPF_PROG_LOAD, attr);
    if (again >= 0) {
      return again; // a transient failure (EAGAIN from the verifier): use this one
    }
    String why = log.getString(0).strip();
    throw new KernelException("bpf(BPF_PROG_LOAD)"
        + (why.isEmpty() ? "" : " (verifier: " + why.lines().reduce((a, b) -> b).orElse(why) + ")"), errno);
  }

  private static long bpf(MemorySegment st, int cmd, MemorySegment attr) throws Throwable {
    return (long) SYSCALL3.invokeExact(st, sysBpf(), (long) cmd, attr, (long) ATTR_SIZE);
  }

  /** bpf's syscall number differs by architecture (the generic table is aarch64's and riscv's). */
  private static long sysBpf() {
    return switch (System.getProperty("os.arch")) {
      case "amd64", "x86_64" -> 321;
      case "aarch64", "riscv64" -> 280;
      default -> throw new UnsupportedOperationException(
          "bpf: unknown syscall number on " + System.getProperty("os.arch"));
    };
  }
}
