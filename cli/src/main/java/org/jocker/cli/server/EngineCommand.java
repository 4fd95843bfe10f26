package org.jocker.cli.server;

import org.jocker.cli.CommandGroup;
import picocli.CommandLine.Command;

/** `jocker engine serve|stop`: the resident engine (hidden; the native client starts it). */
@Command(name = "engine", hidden = true, description = "The resident engine process.",
    subcommands = {EngineServeCommand.class, EngineStopCommand.class})
public final class EngineCommand extends CommandGroup {
  static final String SOCKET = "${env:JOCKER_ENGINE_SOCKET:-/run/jocker/engine.sock}";
}
