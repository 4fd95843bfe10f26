package org.jocker.cli.runtime;

import java.util.concurrent.Callable;
import org.jocker.cli.ErrorSink;
import org.jocker.runtime.ContainerRuntime;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** A `jocker runtime` subcommand: errors go where the global --log options say. */
abstract class RuntimeVerb implements Callable<Integer>, ErrorSink {
  @ParentCommand RuntimeCommand parent;

  /** As runc's `VERB -h`: the verb's usage, even without its required arguments. */
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  ContainerRuntime runtime() {
    return parent.runtime();
  }

  @Override
  public final Integer call() throws Exception {
    try {
      return execute();
    } finally {
      parent.flushWarnings();
    }
  }

  abstract int execute() throws Exception;

  @Override
  public void error(String command, String message, Throwable cause) {
    parent.error(command, message, cause);
  }

  @Override
  public int exitCode() {
    return parent.exitCode();
  }
}
