package org.jocker.runtime.seccomp;

/**
 * A compiled filter: what the launcher installs with {@code seccomp(SECCOMP_SET_MODE_FILTER, flags,
 * &(struct sock_fprog){program.instructionCount(), program.bytes()})}.
 *
 * @param flags SECCOMP_FILTER_FLAG_* bitmask, see {@link SeccompFlags}
 */
public record SeccompFilter(BpfProgram program, int flags) {}
