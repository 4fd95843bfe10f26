package org.jocker.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Bad flags or arguments: one line and a hint, as Docker prints them. */
public final class UsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName(" ");
    System.err.println(name + ": " + e.getMessage());
    System.err.println("See '" + name + " --help'.");
    Object command = cmd.getCommand();
    return command instanceof ErrorSink s ? s.usageExitCode() : ExitCodes.USAGE;
  }
}
