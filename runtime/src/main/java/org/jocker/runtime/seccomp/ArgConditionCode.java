package org.jocker.runtime.seccomp;

import org.jocker.runtime.seccomp.BpfAssembler.JumpTest;
import org.jocker.runtime.seccomp.BpfAssembler.Label;

/**
 * Emits the BPF test for one {@link ArgCondition}: falls through when it holds, jumps to a failure
 * label otherwise. Classic BPF compares 32-bit words, so on 64-bit ABIs a comparison looks at the
 * high word first and only consults the low word when the high words are equal.
 */
final class ArgConditionCode {
  /** Offset of seccomp_data.args[0]; each argument is a u64 stored low word first (little-endian). */
  private static final int ARGS_OFFSET = 16;

  private final BpfAssembler asm;

  ArgConditionCode(BpfAssembler asm) {
    this.asm = asm;
  }

  /** Emits the test; clobbers the accumulator. */
  void emit(ArgCondition condition, boolean wideArguments, Label fail) {
    int loOffset = ARGS_OFFSET + 8 * condition.index();
    int hiOffset = loOffset + 4;
    // On 32-bit ABIs only the low word carries the argument; libseccomp truncates the values too.
    Words value = Words.of(condition.value());
    if (condition.op() == ComparisonOp.MASKED_EQ) {
      Words datum = Words.of(condition.valueTwo());
      if (wideArguments) maskedEquals(hiOffset, value.hi, datum.hi, fail);
      maskedEquals(loOffset, value.lo, datum.lo, fail);
      return;
    }
    if (!wideArguments) {
      asm.loadWord(loOffset);
      compareLastWord(condition.op(), value.lo, fail);
      return;
    }
    Label pass = asm.newLabel();
    asm.loadWord(hiOffset);
    switch (condition.op()) {
      case EQ -> asm.jumpUnless(JumpTest.EQ, value.hi, fail);
      case NE -> asm.jumpUnless(JumpTest.EQ, value.hi, pass);
      // hi > v.hi decides GT/GE as true and LT/LE as false; equal high words defer to the low word.
      case GT, GE -> {
        asm.jumpIf(JumpTest.GT, value.hi, pass);
        asm.jumpUnless(JumpTest.EQ, value.hi, fail);
      }
      case LT, LE -> {
        asm.jumpIf(JumpTest.GT, value.hi, fail);
        asm.jumpUnless(JumpTest.EQ, value.hi, pass);
      }
      case MASKED_EQ -> throw new IllegalStateException("handled above");
    }
    asm.loadWord(loOffset);
    compareLastWord(condition.op(), value.lo, fail);
    asm.bind(pass);
  }

  /** With the word in A: falls through when {@code A <op> k}, else jumps to {@code fail}. */
  private void compareLastWord(ComparisonOp op, int k, Label fail) {
    switch (op) {
      case EQ -> asm.jumpUnless(JumpTest.EQ, k, fail);
      case NE -> asm.jumpIf(JumpTest.EQ, k, fail);
      case GT -> asm.jumpUnless(JumpTest.GT, k, fail);
      case GE -> asm.jumpUnless(JumpTest.GE, k, fail);
      case LT -> asm.jumpIf(JumpTest.GE, k, fail);
      case LE -> asm.jumpIf(JumpTest.GT, k, fail);
      case MASKED_EQ -> throw new IllegalStateException("masked compare has its own sequence");
    }
  }

  private void maskedEquals(int offset, int mask, int datum, Label fail) {
    asm.loadWord(offset);
    asm.and(mask);
    asm.jumpUnless(JumpTest.EQ, datum, fail);
  }

  private record Words(int hi, int lo) {
    static Words of(long value) {
      return new Words((int) (value >>> 32), (int) value);
    }
  }
}
