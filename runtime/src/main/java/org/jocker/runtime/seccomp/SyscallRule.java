package org.jocker.runtime.seccomp;

import java.util.List;

/**
 * One (syscall, conditions, action) triple of a profile; the conditions are ANDed. {@code field}
 * locates it in the config for messages.
 */
public record SyscallRule(
    String name, SeccompAction action, List<ArgCondition> conditions, String field) {
  public SyscallRule {
    conditions = List.copyOf(conditions);
  }

  public boolean isUnconditional() {
    return conditions.isEmpty();
  }
}
