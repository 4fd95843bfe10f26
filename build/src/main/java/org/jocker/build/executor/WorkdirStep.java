package org.jocker.build.executor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.build.dockerfile.Instruction;

/**
 * WORKDIR: the new working directory (a relative one joined to the current), made in the root
 * when missing (0755, root's) as BuildKit does: a layer then, else only the config changes.
 */
final class WorkdirStep {
  private static final int MODE = 0755;

  private WorkdirStep() {}

  static FilesystemStep.Result run(BuildSession session, StageState state, Instruction.Workdir workdir) {
    String path = "/" + InRootPaths.clean(InRootPaths.resolve(state.settings.workingDir, workdir.path()));
    state.settings.workingDir = path;
    StepKey key = new StepKey(state.stack.topChainId().orElse(""), "WORKDIR " + path, Map.of(), java.util.List.of());
    FilesystemStep.Result result = FilesystemStep.apply(session, state, key, mount -> {
      Path root = session.sandbox().mount(mount, "workdir-" + session.keys().incrementAndGet());
      try (RootWriter writer = new RootWriter(root)) {
        writer.directory(path, new RootWriter.Meta(0, 0, MODE, null));
      } finally {
        session.sandbox().unmount(root);
      }
      return List.of();
    });
    state.stack = result.stack();
    state.settings.history.add(BuildSession.history("WORKDIR " + path
        + (result.addedLayer() ? HistoryText.BUILDKIT : ""), !result.addedLayer(), result.created()));
    return result;
  }
}
