package org.jocker.runtime.cgroup;

import java.util.ArrayList;
import java.util.List;
import org.jocker.runtime.spec.Spec;

/**
 * Compiles OCI device rules (linux.resources.devices) to a BPF_PROG_TYPE_CGROUP_DEVICE program,
 * cgroup v2's replacement for the v1 devices controller.
 *
 * <p>The semantics are v1's list replayed in order, with later rules winning: everything is denied
 * until a rule allows it; for each access bit asked (r, w, m), the last rule that matches the
 * device and names that bit decides. An "a" rule matches every device with rwm whatever its other
 * fields say (as in v1, where it resets the list), so rules before the last one never matter. This
 * equals v1 except where v1 silently ignores a deny that would punch a hole in a wildcard allow
 * (runc refuses those): here the later deny applies.
 *
 * <p>The program walks the rules from the last to the first, keeping the asked bits that no rule
 * has decided yet: a matching deny that names one of them returns 0 (EPERM), a matching allow
 * clears the bits it names and returns 1 once none are left.
 */
final class DeviceFilter {
  /** bpf_cgroup_dev_ctx: u32 access_type (access << 16 | type), u32 major, u32 minor. */
  private static final int CTX_ACCESS_TYPE = 0;
  private static final int CTX_MAJOR = 4;
  private static final int CTX_MINOR = 8;
  private static final int DEV_BLOCK = 1;
  private static final int DEV_CHAR = 2;
  private static final int ACC_MKNOD = 1;
  private static final int ACC_READ = 2;
  private static final int ACC_WRITE = 4;

  // Registers after the prologue; r1 (the context) is free for scratch once the fields are read.
  private static final int TYPE = 2;
  private static final int UNDECIDED = 3;
  private static final int MAJOR = 4;
  private static final int MINOR = 5;
  private static final int SCRATCH = EbpfCode.R1;

  private DeviceFilter() {}

  /** One rule, checked: type 'a', 'b' or 'c'; -1 for any major or minor; access as BPF bits. */
  record Rule(boolean allow, char type, long major, long minor, int access) {
    static final long ANY = -1;

    static Rule of(Spec.DeviceRule r) {
      String type = r.type() == null || r.type().isEmpty() ? "a" : r.type();
      if (!type.matches("[abc]")) {
        throw new CgroupException("cgroup devices: rule type \"" + type + "\" is not a, b or c");
      }
      String access = r.access() == null || r.access().isEmpty() ? "rwm" : r.access();
      if (!access.matches("[rwm]{1,3}")) {
        throw new CgroupException("cgroup devices: rule access \"" + access + "\" is not made of r, w, m");
      }
      int bits = (access.contains("r") ? ACC_READ : 0) | (access.contains("w") ? ACC_WRITE : 0)
          | (access.contains("m") ? ACC_MKNOD : 0);
      return new Rule(Boolean.TRUE.equals(r.allow()), type.charAt(0),
          number("major", r.major()), number("minor", r.minor()), bits);
    }

    private static long number(String field, Long n) {
      if (n == null || n < 0) {
        return ANY;
      }
      if (n > 0xffff_ffffL) {
        throw new CgroupException("cgroup devices: rule " + field + " " + n + " is out of range");
      }
      return n;
    }
  }

  /** The program's instructions, ready for BPF_PROG_LOAD. */
  static byte[] compile(List<Spec.DeviceRule> specRules) {
    List<Rule> rules = specRules.stream().map(Rule::of).toList();
    EbpfCode code = new EbpfCode()
        .loadWord(TYPE, EbpfCode.R1, CTX_ACCESS_TYPE)
        .move(UNDECIDED, TYPE)
        .shiftRight(UNDECIDED, 16)
        .and(TYPE, 0xffff)
        .loadWord(MAJOR, EbpfCode.R1, CTX_MAJOR)
        .loadWord(MINOR, EbpfCode.R1, CTX_MINOR);
    for (int i = rules.size() - 1; i >= 0; i--) {
      Rule rule = rules.get(i);
      if (rule.type() == 'a') {
        return code.returnImm(rule.allow() ? 1 : 0).bytes();
      }
      code.append(block(rule));
    }
    return code.returnImm(0).bytes();
  }

  /** One rule: the device checks, each skipping to the next block on mismatch, then the decision. */
  private static EbpfCode block(Rule rule) {
    EbpfCode decision = new EbpfCode();
    if (rule.allow()) {
      decision.and(UNDECIDED, ~rule.access()).jumpIfNotEqual(UNDECIDED, 0, 2).returnImm(1);
    } else {
      decision.move(SCRATCH, UNDECIDED).and(SCRATCH, rule.access()).jumpIfEqual(SCRATCH, 0, 2).returnImm(0);
    }
    List<Check> checks = new ArrayList<>();
    checks.add(new Check(TYPE, rule.type() == 'b' ? DEV_BLOCK : DEV_CHAR));
    if (rule.major() != Rule.ANY) {
      checks.add(new Check(MAJOR, (int) rule.major())); // u32: the cast keeps the bits
    }
    if (rule.minor() != Rule.ANY) {
      checks.add(new Check(MINOR, (int) rule.minor()));
    }
    EbpfCode block = new EbpfCode();
    for (int i = 0; i < checks.size(); i++) {
      int skip = checks.size() - i - 1 + decision.size();
      block.jumpIfNotEqual(checks.get(i).register(), checks.get(i).value(), skip);
    }
    return block.append(decision);
  }

  private record Check(int register, int value) {}
}
