package org.jocker.cli.network;

import org.jocker.cli.CommandGroup;
import picocli.CommandLine.Command;

/** `jocker network ...`: the built-in networks and user-defined bridge networks. */
@Command(name = "network", description = "Manage networks.",
    subcommands = {NetworkCreateCommand.class, NetworkLsCommand.class, NetworkInspectCommand.class,
        NetworkRmCommand.class, NetworkPruneCommand.class, NetworkConnectCommand.class,
        NetworkDisconnectCommand.class})
public final class NetworkCommand extends CommandGroup {}
