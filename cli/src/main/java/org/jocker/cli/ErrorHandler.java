package org.jocker.cli;

import java.io.UncheckedIOException;
import org.jocker.kernel.KernelException;
import org.jocker.kernel.UnsafeDirectoryException;
import org.jocker.runtime.OciRuntimeException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one line on stderr and an exit code; the stack trace only with
 * --debug. Commands that know better (the runtime's --log) report through {@link ErrorSink}.
 */
public final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    Object command = cmd.getCommand();
    ErrorSink sink = command instanceof ErrorSink s ? s : ErrorSink.STDERR;
    String message = describe(e);
    sink.error(cmd.getCommandName(), message, e);
    return sink.exitCode();
  }

  static String describe(Throwable e) {
    if (e instanceof OciRuntimeException || e instanceof KernelException || e instanceof UncheckedIOException
        || e instanceof UnsafeDirectoryException) {
      return oneLine(e.getMessage());
    }
    return oneLine(e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  private static String oneLine(String s) {
    return s == null ? "unknown error" : s.lines().findFirst().orElse("").strip();
  }
}
