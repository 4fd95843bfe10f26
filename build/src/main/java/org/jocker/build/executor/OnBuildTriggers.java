package org.jocker.build.executor;

import java.util.ArrayList;
import java.util.List;
import org.jocker.build.dockerfile.DockerfileException;
import org.jocker.build.dockerfile.DockerfileParser;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.build.stage.Stage;
import org.jocker.images.manifest.ImageConfig;

/**
 * A base image's ONBUILD triggers: run first in a stage FROM that image, as if written right after
 * its FROM (the built image does not keep them). Errors name the FROM's line.
 */
final class OnBuildTriggers {
  private OnBuildTriggers() {}

  static List<Instruction> of(ImageConfig base, String file, Stage stage) {
    List<String> triggers = base.config() == null || base.config().onBuild() == null ? List.of()
        : base.config().onBuild();
    List<Instruction> out = new ArrayList<>();
    for (String trigger : triggers) {
      try {
        out.addAll(DockerfileParser.parse(file, trigger).instructions());
      } catch (DockerfileException e) {
        throw new DockerfileException(file, stage.from().lines().start(), "ONBUILD trigger " + trigger + ": "
            + e.detail());
      }
    }
    return out;
  }
}
