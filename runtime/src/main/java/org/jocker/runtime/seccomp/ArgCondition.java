package org.jocker.runtime.seccomp;

import org.jocker.runtime.spec.Spec;

/** One condition on a syscall argument: {@code args[index] <op> value} (or masked compare). */
public record ArgCondition(int index, ComparisonOp op, long value, long valueTwo) {
  /** seccomp_data.args has six entries. */
  public static final int MAX_INDEX = 5;

  static ArgCondition parse(Spec.Arg arg, String field) {
    if (arg == null) throw new SeccompException(field + ": missing argument condition");
    if (arg.index() < 0 || arg.index() > MAX_INDEX) {
      throw new SeccompException(field + ".index: " + arg.index() + " is out of range 0.." + MAX_INDEX);
    }
    ComparisonOp op = ComparisonOp.parse(arg.op(), field + ".op");
    long valueTwo = arg.valueTwo() == null ? 0 : arg.valueTwo();
    return new ArgCondition(arg.index(), op, arg.value(), valueTwo);
  }
}
