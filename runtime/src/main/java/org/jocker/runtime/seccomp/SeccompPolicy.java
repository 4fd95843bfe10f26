package org.jocker.runtime.seccomp;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jocker.runtime.spec.Spec;

/**
 * A validated {@code linux.seccomp}: every name, action and operator checked, ready to compile.
 * {@code names} are all the syscall names the profile gives, those of rules dropped for repeating
 * the default action too (runc answers calls newer than all of them with ENOSYS).
 */
public record SeccompPolicy(
    SeccompAction defaultAction, Set<Architecture> architectures, int flags, List<SyscallRule> rules,
    Set<String> names) {
  private static final String FIELD = "linux.seccomp";

  public SeccompPolicy {
    architectures = Set.copyOf(architectures);
    rules = List.copyOf(rules);
    names = Set.copyOf(names);
  }

  public static SeccompPolicy from(Spec.Seccomp seccomp) {
    if (seccomp == null) throw new SeccompException(FIELD + ": missing");
    SeccompAction defaultAction =
        SeccompAction.parse(seccomp.defaultAction(), seccomp.defaultErrnoRet(), FIELD + ".defaultAction");
    return new SeccompPolicy(
        defaultAction,
        architectures(seccomp.architectures()),
        SeccompFlags.parse(seccomp.flags()),
        rules(seccomp.syscalls(), defaultAction),
        names(seccomp.syscalls()));
  }

  private static Set<String> names(List<Spec.Syscall> syscalls) {
    Set<String> names = new HashSet<>();
    if (syscalls != null) {
      syscalls.forEach(s -> names.addAll(s.names()));
    }
    return names;
  }

  private static Set<Architecture> architectures(List<String> names) {
    // The native ABI is always filtered, as libseccomp's filter context always contains it.
    Set<Architecture> result = EnumSet.of(Architecture.NATIVE);
    if (names == null) return result;
    for (int i = 0; i < names.size(); i++) {
      Architecture.parse(names.get(i), FIELD + ".architectures[" + i + "]").ifPresent(result::add);
    }
    return result;
  }

  private static List<SyscallRule> rules(List<Spec.Syscall> syscalls, SeccompAction defaultAction) {
    List<SyscallRule> rules = new ArrayList<>();
    if (syscalls == null) return rules;
    for (int i = 0; i < syscalls.size(); i++) {
      String field = FIELD + ".syscalls[" + i + "]";
      Spec.Syscall syscall = syscalls.get(i);
      if (syscall == null) throw new SeccompException(field + ": missing syscall rule");
      SeccompAction action = SeccompAction.parse(syscall.action(), syscall.errnoRet(), field + ".action");
      List<ArgCondition> conditions = conditions(syscall.args(), field);
      if (syscall.names() == null || syscall.names().isEmpty()) {
        throw new SeccompException(field + ".names: no syscall names");
      }
      // runc drops rules that repeat the default action: libseccomp rejects them and they change nothing.
      if (action.equals(defaultAction)) continue;
      for (String name : syscall.names()) {
        if (name == null || name.isBlank()) throw new SeccompException(field + ".names: empty syscall name");
        if (repeatsAnArgument(conditions)) {
          // runc's reading: conditions on one argument can never all hold, so each becomes a rule
          // of its own (ORed), as libseccomp's older behaviour that runc keeps
          for (ArgCondition condition : conditions) {
            rules.add(new SyscallRule(name, action, List.of(condition), field));
          }
        } else {
          rules.add(new SyscallRule(name, action, conditions, field));
        }
      }
    }
    return rules;
  }

  private static boolean repeatsAnArgument(List<ArgCondition> conditions) {
    return conditions.stream().map(ArgCondition::index).distinct().count() < conditions.size();
  }

  private static List<ArgCondition> conditions(List<Spec.Arg> args, String field) {
    List<ArgCondition> conditions = new ArrayList<>();
    if (args == null) return conditions;
    for (int j = 0; j < args.size(); j++) {
      conditions.add(ArgCondition.parse(args.get(j), field + ".args[" + j + "]"));
    }
    return conditions;
  }
}
