package org.jocker.cli.runtime;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jocker.cli.ErrorSink;
import org.jocker.cli.session.Session;
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

  /** A path from the command line: relative ones are the caller's, also in the resident engine. */
  static Path callers(Path path) {
    return path == null ? null : Session.current().path(path.toString());
  }

  /** A socket path from the command line (--console-socket), resolved as {@link #callers(Path)}. */
  static String callers(String path) {
    return path == null ? null : callers(Path.of(path)).toString();
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
