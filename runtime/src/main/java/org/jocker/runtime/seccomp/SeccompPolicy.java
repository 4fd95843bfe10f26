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
  private static final Set<String> UNNOTIFIABLE = Set.of("write", "sendmsg");

  public SeccompPolicy {
    architectures = Set.copyOf(architectures);
    rules = List.copyOf(rules);
    names = Set.copyOf(names);
  }

  public static SeccompPolicy from(Spec.Seccomp seccomp) {
    if (seccomp == null) throw new SeccompException(FIELD + ": missing");
    SeccompAction defaultAction =
        SeccompAction.parse(seccomp.defaultAction(), seccomp.defaultErrnoRet(), FIELD + ".defaultAction");
    if (defaultAction.equals(SeccompAction.NOTIFY)) {
      // Every call would wait for an agent that only gets the listener through a call (runc's rule).
      throw new SeccompException(FIELD + ".defaultAction: SCMP_ACT_NOTIFY cannot be used as default action");
    }
    List<SyscallRule> rules = rules(seccomp.syscalls(), defaultAction);
    int flags = SeccompFlags.parse(seccomp.flags());
    if (rules.stream().anyMatch(r -> r.action().equals(SeccompAction.NOTIFY))) {
      if (seccomp.listenerPath() == null || seccomp.listenerPath().isEmpty()) {
        throw new SeccompException(FIELD + ".listenerPath: not set, but SCMP_ACT_NOTIFY is used");
      }
      // The init is single-threaded, so TSYNC has nothing to do; the kernel refuses it with
      // NEW_LISTENER (a listener per thread could not be returned).
      flags = (flags & ~SeccompFlags.TSYNC) | SeccompFlags.NEW_LISTENER;
    }
    return new SeccompPolicy(defaultAction, architectures(seccomp.architectures()), flags, rules,
        names(seccomp.syscalls()));
  }

  /** Whether the filter returns a listener that a seccomp agent is to get. */
  public boolean notifies() {
    return (flags & SeccompFlags.NEW_LISTENER) != 0;
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
        if (action.equals(SeccompAction.NOTIFY) && UNNOTIFIABLE.contains(name)) {
          // The listener leaves the init with a sendmsg, to the monitor that passes it on: were that
          // call to wait for the agent, it would wait forever. runc refuses write for its own pipe.
          throw new SeccompException(field + ": SCMP_ACT_NOTIFY cannot be used for the " + name + " syscall");
        }
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
