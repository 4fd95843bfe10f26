package org.jocker.runtime.seccomp;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The system call ABIs a filter can tell apart on an x86_64 host.
 *
 * <p>x32 shares the x86_64 audit arch; the kernel marks its syscall numbers with bit 0x40000000,
 * so {@link #syscallNumber} returns x32 numbers with that bit set. Its arguments arrive in 64-bit
 * registers, but like libseccomp (x32 is a 32-bit ABI there) conditions compare only the low word:
 * x32 longs are 32 bits, and the kernel reads int arguments (socket's family...) from the low word,
 * so high garbage must not turn a denied value into an allowed one.
 */
public enum Architecture {
  X86_64("SCMP_ARCH_X86_64", 0xC000003E, true, 0, "syscalls-x86_64.txt"),
  X86("SCMP_ARCH_X86", 0x40000003, false, 0, "syscalls-i386.txt"),
  X32("SCMP_ARCH_X32", 0xC000003E, false, Architecture.X32_SYSCALL_BIT, "syscalls-x32.txt");

  public static final int X32_SYSCALL_BIT = 0x40000000;

  /** The ABI of the host (Jocker only runs on x86_64 for now); always in a filter, as with libseccomp. */
  public static final Architecture NATIVE = X86_64;

  /**
   * Arches libseccomp knows but an x86_64 kernel never reports in {@code seccomp_data.arch}: rules for
   * them could never match, so naming them is accepted and ignored (Docker lists them in profiles).
   */
  private static final Set<String> FOREIGN =
      Set.of(
          "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64",
          "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
          "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
          "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
          "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");

  private final String specName;
  private final int auditArch;
  private final boolean wideArguments;
  private final int syscallBit;
  private final String tableResource;
  private SyscallTable table;

  Architecture(
      String specName, int auditArch, boolean wideArguments, int syscallBit, String tableResource) {
    this.specName = specName;
    this.auditArch = auditArch;
    this.wideArguments = wideArguments;
    this.syscallBit = syscallBit;
    this.tableResource = tableResource;
  }

  /** Parses an OCI arch name: empty when the arch is foreign to this host, error when unknown. */
  static Optional<Architecture> parse(String name, String field) {
    for (Architecture arch : values()) {
      if (arch.specName.equals(name)) return Optional.of(arch);
    }
    if (FOREIGN.contains(name)) return Optional.empty();
    throw new SeccompException(field + ": unknown architecture \"" + name + "\"");
  }

  public String specName() {
    return specName;
  }

  /** The AUDIT_ARCH_* value the kernel puts in {@code seccomp_data.arch}. */
  public int auditArch() {
    return auditArch;
  }

  /** Whether conditions compare both 32-bit halves of an argument (x86_64) or only the low word. */
  public boolean wideArguments() {
    return wideArguments;
  }

  /** The number the kernel reports for {@code name} on this ABI, empty if it has no such syscall. */
  public OptionalInt syscallNumber(String name) {
    OptionalInt number = table().number(name);
    return number.isPresent() ? OptionalInt.of(number.getAsInt() | syscallBit) : number;
  }

  private synchronized SyscallTable table() {
    if (table == null) table = SyscallTable.load(tableResource);
    return table;
  }
}
