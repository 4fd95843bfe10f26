package org.jocker.cli.runtime;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jocker.cli.session.Session;
import org.jocker.engine.EngineException;
import org.jocker.engine.spec.HostConfigParser;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.spec.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** runc update: new limits for a container's cgroup; options left out (or 0) keep the current ones. */
@Command(name = "update", description = "Update a container's resource limits; unchanged values can be omitted.")
final class UpdateCommand extends RuntimeVerb {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @Parameters(index = "0", paramLabel = "ID") String id;
  @Option(names = {"-r", "--resources"}, paramLabel = "FILE",
      description = "linux.resources as JSON from FILE, or - for stdin; the other options are then ignored.")
  String resources;
  @Option(names = "--blkio-weight", description = "Block I/O weight, 10 to 1000.") int blkioWeight;
  @Option(names = "--cpu-period", description = "CFS period in microseconds.") String cpuPeriod;
  @Option(names = "--cpu-quota", description = "CFS quota in microseconds per period (-1: none).") String cpuQuota;
  @Option(names = "--cpu-share", description = "CPU shares (relative weight).") String cpuShare;
  @Option(names = "--cpu-rt-period", description = "Realtime period in microseconds.") String cpuRtPeriod;
  @Option(names = "--cpu-rt-runtime", description = "Realtime runtime in microseconds per period.") String cpuRtRuntime;
  @Option(names = "--cpuset-cpus", description = "CPUs to use (0-3, 0,1).") String cpusetCpus;
  @Option(names = "--cpuset-mems", description = "Memory nodes to use.") String cpusetMems;
  @Option(names = "--memory", description = "Memory limit (512m, 1g; -1: none).") String memory;
  @Option(names = "--memory-reservation", description = "Memory soft limit.") String memoryReservation;
  @Option(names = "--memory-swap", description = "Memory plus swap limit (-1: unlimited swap).") String memorySwap;
  @Option(names = {"--kernel-memory", "--kernel-memory-tcp"}, hidden = true,
      description = "Ignored with a warning, as in runc 1.1.") String kernelMemory;
  @Option(names = "--pids-limit", description = "Maximum number of processes (-1: none).") int pidsLimit;
  @Option(names = "--l3-cache-schema", description = "Intel RDT/CAT: not supported.") String l3CacheSchema;
  @Option(names = "--mem-bw-schema", description = "Intel RDT/MBA: not supported.") String memBwSchema;

  @Override
  int execute() throws IOException {
    Spec.Resources changes = resources != null ? read(resources) : fromFlags();
    if (l3CacheSchema != null && !l3CacheSchema.isEmpty()) {
      throw new OciRuntimeException("Intel RDT/CAT: l3 cache schema is not supported");
    }
    if (memBwSchema != null && !memBwSchema.isEmpty()) {
      throw new OciRuntimeException("Intel RDT/MBA: memory bandwidth schema is not supported");
    }
    runtime().update(id, changes);
    return 0;
  }

  private static Spec.Resources read(String file) throws IOException {
    try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Session.current().path(file))) {
      return JSON.readValue(in, Spec.Resources.class);
    } catch (NoSuchFileException e) {
      throw new OciRuntimeException("open " + file + ": no such file or directory");
    } catch (JacksonException e) {
      throw new OciRuntimeException("resources " + file + ": " + e.getOriginalMessage());
    }
  }

  private Spec.Resources fromFlags() {
    Spec.Memory m = new Spec.Memory(bytes("memory", memory), bytes("memory-reservation", memoryReservation),
        bytes("memory-swap", memorySwap), bytes("kernel-memory", kernelMemory), null, null, null);
    Spec.Cpu c = new Spec.Cpu(number("cpu-share", cpuShare, false), number("cpu-quota", cpuQuota, true),
        number("cpu-period", cpuPeriod, false), number("cpu-rt-runtime", cpuRtRuntime, true),
        number("cpu-rt-period", cpuRtPeriod, false), cpusetCpus, cpusetMems, null);
    return new Spec.Resources(null, m, c, new Spec.Pids(pidsLimit), new Spec.BlockIo(blkioWeight, null), null);
  }

  /** A size as runc takes it: -1, or a number with an optional binary unit (64m, 1.5g). */
  private static Long bytes(String flag, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (value.equals("-1")) {
      return -1L;
    }
    try {
      return HostConfigParser.size(flag, value);
    } catch (EngineException e) {
      throw new OciRuntimeException("invalid value for " + flag + ": invalid size: '" + value + "'");
    }
  }

  private static Long number(String flag, String value, boolean signed) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      long n = Long.parseLong(value);
      if (!signed && n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new OciRuntimeException("invalid value for " + flag + ": \"" + value + "\" is not "
          + (signed ? "an integer" : "an unsigned integer"));
    }
  }
}
