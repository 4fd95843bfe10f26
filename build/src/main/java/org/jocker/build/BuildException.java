package org.jocker.build;

/**
 * A build failed. The message is one line for the user, in Docker's words where Docker has them;
 * the subclasses say where (a Dockerfile line, a context file, a variable).
 */
public class BuildException extends RuntimeException {
  public BuildException(String message) {
    super(message);
  }

  public BuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
