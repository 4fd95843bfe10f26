package org.jocker.cli;

/** Where a command's error goes, and with which exit code. */
public interface ErrorSink {
  ErrorSink STDERR = new ErrorSink() {};

  default void error(String command, String message, Throwable cause) {
    System.err.println("jocker: " + message);
    if (Boolean.getBoolean("jocker.debug")) {
      cause.printStackTrace();
    }
  }

  default int exitCode() {
    return ExitCodes.ENGINE_ERROR;
  }

  /** For bad flags or arguments, which may differ from a failure of the command itself. */
  default int usageExitCode() {
    return exitCode();
  }
}
