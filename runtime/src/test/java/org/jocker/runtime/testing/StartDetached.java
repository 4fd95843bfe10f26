package org.jocker.runtime.testing;

import java.nio.file.Path;
import org.jocker.runtime.CgroupDriver;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.CreateOptions;
import org.jocker.runtime.kernel.LinuxKernel;
import org.jocker.runtime.launch.Launcher;

/**
 * Creates and starts a container with a cgroup driver, then stays: a test runs it as a
 * systemd service and stops that service, as restarting an engine's unit would (KillMode=control-group
 * kills every process in the unit's cgroup). Arguments: state root, bundle, container id, driver
 * (systemd or cgroupfs).
 */
public final class StartDetached {
  private StartDetached() {}

  public static void main(String[] args) throws InterruptedException {
    ContainerRuntime rt = new ContainerRuntime(Path.of(args[0]), new LinuxKernel(), Launcher.locate(),
        CgroupDriver.parse(args[3]));
    rt.create(args[2], Path.of(args[1]), CreateOptions.DEFAULT);
    rt.start(args[2]);
    System.out.println("started " + args[2]);
    Thread.sleep(Long.MAX_VALUE);
  }
}
