package org.jocker.runtime.seccomp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jocker.runtime.seccomp.BpfAssembler.JumpTest;
import org.jocker.runtime.seccomp.BpfAssembler.Label;
import org.jocker.runtime.spec.Spec;

/**
 * Compiles an OCI seccomp profile to a classic-BPF seccomp filter with libseccomp's semantics.
 *
 * <p>Program shape:
 *
 * <pre>
 *   A = arch; dispatch to the section of each filtered ABI; unknown arch: KILL_PROCESS
 *   x86_64:  A = nr; nr has the x32 bit: to the x32 section if x32 is filtered, else KILL_PROCESS
 *            (except nr == -1, which a tracer uses to skip a call: it gets the default action)
 *            then the syscall search
 *   x32, i386: the syscall search
 *   search:  nr above every syscall the profile names: ENOSYS (unless the default allows, logs
 *            or traces: runc's rule); else binary search on nr down to runs of a few blocks,
 *            then the default action
 *   block:   if nr != N skip the block; each rule: its conditions, else try the next rule;
 *            return its action; no rule matched: the default action
 * </pre>
 *
 * <p>Several rules for one syscall are tried in profile order and the first whose conditions all
 * hold wins (an unconditional rule ends the list). Names a given ABI does not have are skipped, as
 * libseccomp and runc do; so are names no ABI has. Conditions of one rule that test the same
 * argument are separate rules (ORed), as runc reads them ({@link SeccompPolicy}).
 */
public final class SeccompCompiler {
  private static final int NR_OFFSET = 0;
  private static final int ARCH_OFFSET = 4;
  /** seccomp_data.nr of -1: a tracer cancelled the call; libseccomp lets it through to the rules. */
  private static final int CANCELLED_SYSCALL = -1;
  /** Up to this many syscalls, a linear run costs less code than another search level. */
  private static final int LINEAR_RUN = 8;
  private static final int ENOSYS = 38;

  private SeccompCompiler() {}

  public static SeccompFilter compile(Spec.Seccomp seccomp) {
    return compile(SeccompPolicy.from(seccomp));
  }

  public static SeccompFilter compile(SeccompPolicy policy) {
    BpfAssembler asm = new BpfAssembler();
    int defaultAction = policy.defaultAction().returnValue();
    boolean x32 = policy.architectures().contains(Architecture.X32);
    boolean i386 = policy.architectures().contains(Architecture.X86);
    Label x86_64Section = asm.newLabel();
    Label x32Section = asm.newLabel();
    Label i386Section = asm.newLabel();

    asm.loadWord(ARCH_OFFSET);
    asm.jumpIf(JumpTest.EQ, Architecture.X86_64.auditArch(), x86_64Section);
    if (i386) asm.jumpIf(JumpTest.EQ, Architecture.X86.auditArch(), i386Section);
    asm.ret(SeccompAction.RET_KILL_PROCESS);

    asm.bind(x86_64Section);
    asm.loadWord(NR_OFFSET);
    Label notX86_64 = x32 ? x32Section : asm.newLabel();
    asm.jumpIf(JumpTest.GE, Architecture.X32_SYSCALL_BIT, notX86_64);
    emitSyscallSearch(asm, policy, Architecture.X86_64);
    if (!x32) {
      Label badArch = asm.newLabel();
      asm.bind(notX86_64);
      asm.jumpUnless(JumpTest.EQ, CANCELLED_SYSCALL, badArch);
      asm.ret(defaultAction);
      asm.bind(badArch);
      asm.ret(SeccompAction.RET_KILL_PROCESS);
    } else {
      asm.bind(x32Section);
      emitSyscallSearch(asm, policy, Architecture.X32);
    }
    if (i386) {
      asm.bind(i386Section);
      asm.loadWord(NR_OFFSET);
      emitSyscallSearch(asm, policy, Architecture.X86);
    }
    return new SeccompFilter(checkSize(asm.assemble()), policy.flags());
  }

  /**
   * With the syscall number in A, emits a binary search over the syscall numbers that have rules,
   * ending in short linear runs of blocks; every path returns (the default action when nothing
   * matches). Keeps both the filter's run time and its jump distances small.
   */
  private static void emitSyscallSearch(BpfAssembler asm, SeccompPolicy policy, Architecture arch) {
    List<Map.Entry<Integer, List<SyscallRule>>> blocks =
        new ArrayList<>(rulesByNumber(policy, arch).entrySet());
    blocks.sort(Map.Entry.comparingByKey(Integer::compareUnsigned));
    OptionalInt last = lastNamedSyscall(policy, arch);
    if (last.isPresent() && answersNewSyscallsWithEnosys(policy)) {
      // As runc: a syscall newer than any the profile names is one the profile's author could not
      // know: ENOSYS (not the default EPERM), so that programs fall back to an older call.
      Label known = asm.newLabel();
      asm.jumpIf(JumpTest.EQ, CANCELLED_SYSCALL, known); // a tracer's skip keeps the default action
      asm.jumpUnless(JumpTest.GT, last.getAsInt(), known);
      asm.ret(SeccompAction.errno(ENOSYS).returnValue());
      asm.bind(known);
    }
    emitSearchRange(asm, policy, arch, blocks);
  }

  /** The highest number (unsigned) this ABI has of the names the profile gives, if any. */
  static OptionalInt lastNamedSyscall(SeccompPolicy policy, Architecture arch) {
    return policy.names().stream().map(arch::syscallNumber).filter(OptionalInt::isPresent)
        .mapToInt(OptionalInt::getAsInt).reduce((a, b) -> Integer.compareUnsigned(a, b) >= 0 ? a : b);
  }

  /** runc's rule: unless the default lets calls through (allow, log, trace) or is ENOSYS already. */
  private static boolean answersNewSyscallsWithEnosys(SeccompPolicy policy) {
    int action = policy.defaultAction().returnValue();
    int kind = action & 0xffff0000;
    return kind != SeccompAction.RET_ALLOW && kind != SeccompAction.RET_LOG && (action & 0xfff00000) != SeccompAction.RET_TRACE
        && action != SeccompAction.errno(ENOSYS).returnValue();
  }

  private static void emitSearchRange(
      BpfAssembler asm, SeccompPolicy policy, Architecture arch,
      List<Map.Entry<Integer, List<SyscallRule>>> blocks) {
    if (blocks.size() <= LINEAR_RUN) {
      for (Map.Entry<Integer, List<SyscallRule>> block : blocks) {
        emitSyscallBlock(asm, policy, arch, block.getKey(), block.getValue());
      }
      asm.ret(policy.defaultAction().returnValue());
      return;
    }
    int middle = blocks.size() / 2;
    Label upperHalf = asm.newLabel();
    asm.jumpIf(JumpTest.GE, blocks.get(middle).getKey(), upperHalf);
    emitSearchRange(asm, policy, arch, blocks.subList(0, middle));
    asm.bind(upperHalf);
    emitSearchRange(asm, policy, arch, blocks.subList(middle, blocks.size()));
  }

  /**
   * One syscall's rules, in profile order: the first rule whose conditions all hold returns its
   * action. Falls through to the next block with A intact when nr differs; every other path returns
   * (argument loads clobber A).
   */
  private static void emitSyscallBlock(
      BpfAssembler asm, SeccompPolicy policy, Architecture arch, int number, List<SyscallRule> rules) {
    ArgConditionCode conditionCode = new ArgConditionCode(asm);
    Label nextBlock = asm.newLabel();
    asm.jumpUnless(JumpTest.EQ, number, nextBlock);
    boolean exhaustive = false;
    for (SyscallRule rule : rules) {
      Label nextRule = asm.newLabel();
      for (ArgCondition condition : rule.conditions()) {
        conditionCode.emit(condition, arch.wideArguments(), nextRule);
      }
      asm.ret(rule.action().returnValue());
      asm.bind(nextRule);
      if (rule.isUnconditional()) {
        exhaustive = true;
        break;
      }
    }
    if (!exhaustive) asm.ret(policy.defaultAction().returnValue());
    asm.bind(nextBlock);
  }

  private static Map<Integer, List<SyscallRule>> rulesByNumber(SeccompPolicy policy, Architecture arch) {
    Map<Integer, List<SyscallRule>> byNumber = new LinkedHashMap<>();
    for (SyscallRule rule : policy.rules()) {
      OptionalInt number = arch.syscallNumber(rule.name());
      if (number.isEmpty()) continue;
      byNumber.computeIfAbsent(number.getAsInt(), n -> new ArrayList<>()).add(rule);
    }
    return byNumber;
  }

  private static BpfProgram checkSize(BpfProgram program) {
    if (program.instructionCount() > BpfProgram.MAX_INSTRUCTIONS) {
      throw new SeccompException(
          "linux.seccomp: the compiled filter has " + program.instructionCount()
              + " instructions, more than the kernel's limit of " + BpfProgram.MAX_INSTRUCTIONS);
    }
    return program;
  }
}
