package org.jocker.cli.runtime;

import org.jocker.cli.Version;
import org.jocker.runtime.ContainerRuntime;
import picocli.CommandLine.IVersionProvider;

/** `jocker-runtime -v`: runc's layout (its version, then "key: value" lines) with Jocker's versions. */
final class RuntimeVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"jocker-runtime version " + Version.JOCKER, "spec: " + ContainerRuntime.OCI_VERSION,
        "java: " + Runtime.version()};
  }
}
