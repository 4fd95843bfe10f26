package org.jocker.cli;

/** Exit codes, as Docker and runc use them. */
public final class ExitCodes {
  /** runc's: any failure of a runtime command. */
  public static final int RUNTIME_ERROR = 1;
  /** runc's exec: the process could not be started (its own codes, 0-255, are passed on otherwise). */
  public static final int EXEC_FAILED = 255;
  /** Docker's client: a command failed that is not `run` (its own check, or the daemon's answer). */
  public static final int CLIENT_ERROR = 1;
  /** Docker's: the engine failed (bad flags, unknown image, ...). */
  public static final int ENGINE_ERROR = 125;
  /** Docker's: the command could not be invoked. */
  public static final int CANNOT_INVOKE = 126;
  /** Docker's: the command was not found. */
  public static final int NOT_FOUND = 127;
  public static final int USAGE = 125;

  private ExitCodes() {}
}
