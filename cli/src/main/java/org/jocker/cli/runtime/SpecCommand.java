package org.jocker.cli.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.spec.DefaultSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "spec", description = "Write a default config.json (Docker's defaults, runc's namespaces) into the bundle.")
final class SpecCommand extends RuntimeVerb {
  @Option(names = {"-b", "--bundle"}, description = "Bundle directory (default: current).") Path bundle = Path.of(".");

  @Override
  int execute() throws Exception {
    Path config = callers(bundle).resolve("config.json");
    if (Files.exists(config)) {
      throw new OciRuntimeException("File " + config + " exists. Remove it first");
    }
    Files.write(config, StateCommand.JSON.writeValueAsBytes(DefaultSpec.forRuntimeSpec(List.of("sh"), true)));
    return 0;
  }
}
