package org.jocker.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.Test;

/**
 * The generated program without a kernel: run by a small interpreter of the instructions it uses,
 * against the rules' meaning stated plainly (for each access bit, the last matching rule naming it
 * decides; an "a" rule names every device and bit; nothing matching denies). DeviceFilterKernelTest
 * checks the same on the kernel; this covers many random rule sets in milliseconds.
 */
class DeviceFilterTest {
  private static final String[] TYPES = {"a", "b", "c", null};
  private static final Long[] NUMBERS = {null, -1L, 1L, 2L};
  private static final String[] ACCESS = {"r", "w", "m", "rw", "rm", "wm", "rwm", null};

  @Test
  void agreesWithTheRulesOnRandomRuleSets() {
    Random random = new Random(42);
    for (int set = 0; set < 500; set++) {
      List<Spec.DeviceRule> rules = new ArrayList<>();
      for (int i = random.nextInt(7); i > 0; i--) {
        rules.add(new Spec.DeviceRule(random.nextBoolean(), TYPES[random.nextInt(TYPES.length)],
            NUMBERS[random.nextInt(NUMBERS.length)], NUMBERS[random.nextInt(NUMBERS.length)],
            ACCESS[random.nextInt(ACCESS.length)]));
      }
      byte[] program = DeviceFilter.compile(rules);
      for (char type : new char[] {'b', 'c'}) {
        for (int major = 1; major <= 3; major++) {
          for (int minor = 1; minor <= 3; minor++) {
            for (int access = 1; access <= 7; access++) {
              assertThat(run(program, type, major, minor, access) == 1)
                  .as("%s on %c %d:%d access %d", rules, type, major, minor, access)
                  .isEqualTo(allowed(rules, type, major, minor, access));
            }
          }
        }
      }
    }
  }

  @Test
  void rulesBeforeTheLastAllRuleLeaveNoCode() {
    List<Spec.DeviceRule> denyAll = List.of(new Spec.DeviceRule(false, "a", null, null, "rwm"));
    List<Spec.DeviceRule> longer = List.of(new Spec.DeviceRule(true, "c", 1L, 3L, "rwm"),
        new Spec.DeviceRule(true, "b", null, null, "r"), denyAll.getFirst());
    assertThat(DeviceFilter.compile(longer)).isEqualTo(DeviceFilter.compile(denyAll));
  }

  @Test
  void badRulesAreRefusedWithOneLine() {
    assertThatThrownBy(() -> DeviceFilter.compile(List.of(new Spec.DeviceRule(true, "x", 1L, 3L, "r"))))
        .isInstanceOf(CgroupException.class).hasMessage("cgroup devices: rule type \"x\" is not a, b or c");
    assertThatThrownBy(() -> DeviceFilter.compile(List.of(new Spec.DeviceRule(true, "c", 1L, 3L, "rx"))))
        .isInstanceOf(CgroupException.class).hasMessage("cgroup devices: rule access \"rx\" is not made of r, w, m");
    assertThatThrownBy(() -> DeviceFilter.compile(List.of(new Spec.DeviceRule(true, "c", 1L << 32, 3L, "r"))))
        .isInstanceOf(CgroupException.class).hasMessage("cgroup devices: rule major 4294967296 is out of range");
  }

  /** The rules' meaning: every access bit asked must be allowed by the last rule that decides it. */
  private static boolean allowed(List<Spec.DeviceRule> rules, char type, long major, long minor, int access) {
    for (int bit = 1; bit <= 4; bit <<= 1) {
      if ((access & bit) == 0) {
        continue;
      }
      boolean decision = false;
      for (Spec.DeviceRule r : rules) {
        DeviceFilter.Rule rule = DeviceFilter.Rule.of(r);
        boolean all = rule.type() == 'a';
        boolean matches = all || rule.type() == type
            && (rule.major() == DeviceFilter.Rule.ANY || rule.major() == major)
            && (rule.minor() == DeviceFilter.Rule.ANY || rule.minor() == minor)
            && (rule.access() & bit) != 0;
        if (matches) {
          decision = rule.allow();
        }
      }
      if (!decision) {
        return false;
      }
    }
    return true;
  }

  /** Runs the program on one bpf_cgroup_dev_ctx; only the instructions EbpfCode emits are known. */
  private static long run(byte[] program, char type, int major, int minor, int access) {
    int[] ctx = {access << 16 | (type == 'b' ? 1 : 2), major, minor};
    long[] reg = new long[11];
    ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
    for (int pc = 0, steps = 0; steps < 10_000; pc++, steps++) {
      int at = pc * 8;
      int op = code.get(at) & 0xff;
      int dst = code.get(at + 1) & 0xf;
      int src = (code.get(at + 1) & 0xff) >> 4;
      short off = code.getShort(at + 2);
      int imm = code.getInt(at + 4);
      switch (op) {
        case 0x61 -> reg[dst] = ctx[(int) (reg[src] + off) / 4] & 0xffff_ffffL; // r1 is the ctx at 0
        case 0xbc -> reg[dst] = reg[src] & 0xffff_ffffL;
        case 0xb4 -> reg[dst] = imm & 0xffff_ffffL;
        case 0x54 -> reg[dst] = reg[dst] & imm & 0xffff_ffffL;
        case 0x74 -> reg[dst] = (reg[dst] & 0xffff_ffffL) >>> imm;
        case 0x16 -> pc += (int) reg[dst] == imm ? off : 0;
        case 0x56 -> pc += (int) reg[dst] != imm ? off : 0;
        case 0x95 -> {
          return reg[0];
        }
        default -> throw new AssertionError("unexpected opcode " + Integer.toHexString(op) + " at " + pc);
      }
    }
    throw new AssertionError("the program does not end");
  }
}
