package org.jocker.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jocker.runtime.seccomp.SeccompCompilerTest.ALLOW;
import static org.jocker.runtime.seccomp.SeccompCompilerTest.AUDIT_I386;
import static org.jocker.runtime.seccomp.SeccompCompilerTest.ERRNO;
import static org.jocker.runtime.seccomp.SeccompCompilerTest.x86_64;

import java.util.List;
import java.util.function.BiPredicate;
import org.jocker.runtime.seccomp.BpfInterpreter.SeccompData;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeccompArgConditionTest {
  private static final int PERSONALITY = 135;
  private static final int DENIED = ERRNO | 1;

  /** Values around the 32-bit word boundary, where a hi/lo mistake would show. */
  private static final long[] SAMPLES = {
    0L, 1L, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL, 0x1_0000_0000L, 0x1_0000_0001L,
    0x1_FFFF_FFFFL, 0x2_0000_0000L, 0x7FFF_FFFF_FFFF_FFFFL, 0x8000_0000_0000_0000L, -2L, -1L
  };

  private static BpfInterpreter allowWhen(int index, String op, long value, Long valueTwo) {
    Spec.Syscall rule =
        new Spec.Syscall(List.of("personality"), "SCMP_ACT_ALLOW", null, List.of(new Spec.Arg(index, value, valueTwo, op)));
    return SeccompCompilerTest.interpreter(
        new Spec.Seccomp("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), null, List.of(rule)));
  }

  @ParameterizedTest
  @CsvSource({"SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_GE", "SCMP_CMP_GT"})
  void comparesFull64BitValuesUnsigned(String op) {
    BiPredicate<Long, Long> expected = semantics(op);
    for (long value : SAMPLES) {
      for (int index : new int[] {0, 3, 5}) {
        BpfInterpreter filter = allowWhen(index, op, value, null);
        for (long arg : SAMPLES) {
          long[] args = new long[6];
          args[index] = arg;
          int want = expected.test(arg, value) ? ALLOW : DENIED;
          assertThat(filter.run(x86_64(PERSONALITY, args)))
              .as("args[%d]=%#x %s %#x", index, arg, op, value)
              .isEqualTo(want);
        }
      }
    }
  }

  @Test
  void maskedEqualsUsesValueAsMaskAndValueTwoAsDatum() {
    long mask = 0x0000_00F0_0000_FF00L;
    long datum = 0x0000_0010_0000_1200L;
    BpfInterpreter filter = allowWhen(2, "SCMP_CMP_MASKED_EQ", mask, datum);

    for (long arg : new long[] {datum, datum | 0xFFL, 0xFFFF_FF1F_FFFF_12FFL, datum ^ (1L << 36), datum ^ (1L << 9), 0L}) {
      int want = (arg & mask) == datum ? ALLOW : DENIED;
      assertThat(filter.run(x86_64(PERSONALITY, 0, 0, arg))).as("arg %#x", arg).isEqualTo(want);
    }
  }

  @Test
  void conditionsOfOneRuleAreAnded() {
    Spec.Syscall rule =
        new Spec.Syscall(List.of("personality"), "SCMP_ACT_ALLOW", null,
            List.of(new Spec.Arg(0, 5, null, "SCMP_CMP_GE"), new Spec.Arg(1, 7, null, "SCMP_CMP_EQ")));
    BpfInterpreter filter =
        SeccompCompilerTest.interpreter(new Spec.Seccomp("SCMP_ACT_ERRNO", null, null, null, List.of(rule)));

    assertThat(filter.run(x86_64(PERSONALITY, 5, 7))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(PERSONALITY, 4, 7))).isEqualTo(DENIED);
    assertThat(filter.run(x86_64(PERSONALITY, 5, 8))).isEqualTo(DENIED);
  }

  @Test
  void rulesForTheSameSyscallAreOredInOrder() {
    List<Spec.Syscall> rules =
        List.of(
            new Spec.Syscall(List.of("personality"), "SCMP_ACT_ALLOW", null, List.of(new Spec.Arg(0, 0, null, "SCMP_CMP_EQ"))),
            new Spec.Syscall(List.of("personality"), "SCMP_ACT_ERRNO", 22, List.of(new Spec.Arg(0, 8, null, "SCMP_CMP_EQ"))),
            new Spec.Syscall(List.of("read", "personality"), "SCMP_ACT_ALLOW", null, List.of(new Spec.Arg(0, 0xFFFFFFFFL, null, "SCMP_CMP_EQ"))));
    BpfInterpreter filter =
        SeccompCompilerTest.interpreter(new Spec.Seccomp("SCMP_ACT_ERRNO", null, null, null, rules));

    assertThat(filter.run(x86_64(PERSONALITY, 0))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(PERSONALITY, 8))).isEqualTo(ERRNO | 22);
    assertThat(filter.run(x86_64(PERSONALITY, 0xFFFFFFFFL))).isEqualTo(ALLOW);
    assertThat(filter.run(x86_64(PERSONALITY, 0x1_FFFF_FFFFL))).isEqualTo(DENIED);
    assertThat(filter.run(x86_64(PERSONALITY, 3))).isEqualTo(DENIED);
    assertThat(filter.run(x86_64(0, 0xFFFFFFFFL))).isEqualTo(ALLOW); // read
    assertThat(filter.run(x86_64(0, 1))).isEqualTo(DENIED);
  }

  @Test
  void i386ComparesOnlyTheLow32Bits() {
    BpfInterpreter filter = allowWhen(0, "SCMP_CMP_GT", 0x1_0000_0005L, null); // truncated to 5
    int i386Personality = 136;

    assertThat(filter.run(new SeccompData(i386Personality, AUDIT_I386, 0, 6))).isEqualTo(ALLOW);
    assertThat(filter.run(new SeccompData(i386Personality, AUDIT_I386, 0, 5))).isEqualTo(DENIED);
    assertThat(filter.run(x86_64(PERSONALITY, 6))).isEqualTo(DENIED); // x86_64 sees the full value
  }

  private static BiPredicate<Long, Long> semantics(String op) {
    return switch (op) {
      case "SCMP_CMP_EQ" -> (a, v) -> a.longValue() == v.longValue();
      case "SCMP_CMP_NE" -> (a, v) -> a.longValue() != v.longValue();
      case "SCMP_CMP_LT" -> (a, v) -> Long.compareUnsigned(a, v) < 0;
      case "SCMP_CMP_LE" -> (a, v) -> Long.compareUnsigned(a, v) <= 0;
      case "SCMP_CMP_GE" -> (a, v) -> Long.compareUnsigned(a, v) >= 0;
      case "SCMP_CMP_GT" -> (a, v) -> Long.compareUnsigned(a, v) > 0;
      default -> throw new IllegalArgumentException(op);
    };
  }
}
