package org.jocker.cli;

import org.jocker.runtime.ContainerRuntime;
import picocli.CommandLine.IVersionProvider;

/** `--version`: Jocker's version and the OCI runtime-spec version it implements. */
public final class Version implements IVersionProvider {
  public static final String JOCKER = "0.1.0";

  @Override
  public String[] getVersion() {
    return new String[] {"jocker version " + JOCKER, "spec: " + ContainerRuntime.OCI_VERSION};
  }
}
