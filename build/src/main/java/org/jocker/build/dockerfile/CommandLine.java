package org.jocker.build.dockerfile;

import java.util.List;

/** The command of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD: a JSON array, or text for the shell. */
public sealed interface CommandLine {
  /** {@code ["executable", "arg"]}: run as it is, no shell. */
  record ExecForm(List<String> args) implements CommandLine {
    public ExecForm {
      args = List.copyOf(args);
    }
  }

  /** Anything else: given to the stage's SHELL (default {@code /bin/sh -c}) as one string. */
  record ShellForm(String script) implements CommandLine {}
}
