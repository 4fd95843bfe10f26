package org.jocker.runtime.seccomp;

/** The libseccomp argument comparisons (all unsigned, on the full argument width). */
public enum ComparisonOp {
  NE("SCMP_CMP_NE"),
  LT("SCMP_CMP_LT"),
  LE("SCMP_CMP_LE"),
  EQ("SCMP_CMP_EQ"),
  GE("SCMP_CMP_GE"),
  GT("SCMP_CMP_GT"),
  /** {@code (arg & value) == valueTwo}: value is the mask, valueTwo the datum. */
  MASKED_EQ("SCMP_CMP_MASKED_EQ");

  private final String specName;

  ComparisonOp(String specName) {
    this.specName = specName;
  }

  static ComparisonOp parse(String name, String field) {
    for (ComparisonOp op : values()) {
      if (op.specName.equals(name)) return op;
    }
    throw new SeccompException(
        field + ": " + (name == null ? "missing op" : "unknown op \"" + name + "\""));
  }

  public String specName() {
    return specName;
  }
}
