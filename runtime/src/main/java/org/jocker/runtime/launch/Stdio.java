package org.jocker.runtime.launch;

/** The descriptors that become the container's stdin, stdout and stderr; -1 inherits ours. */
public record Stdio(int in, int out, int err) {
  public static final Stdio INHERIT = new Stdio(-1, -1, -1);
}
