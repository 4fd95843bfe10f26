package org.jocker.cli;

import org.jocker.runtime.CgroupDriver;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** `--cgroup-manager systemd|cgroupfs`: an unknown name, or systemd where it does not run, is a usage error. */
public final class CgroupManagerOption implements ITypeConverter<CgroupDriver> {
  @Override
  public CgroupDriver convert(String value) {
    CgroupDriver driver;
    try {
      driver = CgroupDriver.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
    if (driver == CgroupDriver.SYSTEMD && !CgroupDriver.systemdRunning()) {
      throw new TypeConversionException(
          "systemd is not running on this host (/run/systemd/system is missing); use cgroupfs");
    }
    return driver;
  }
}
