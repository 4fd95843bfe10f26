package org.jocker.build.executor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.engine.lifecycle.BuildSandbox;

/**
 * WORKDIR: the new working directory (a relative one joined to the current), made in the root
 * when missing as BuildKit does: each missing directory of the path 0755 and owned by the stage's
 * USER (its uid and gid in the root's /etc/passwd and /etc/group; root's when there is none), so
 * that a later RUN as that user can write there. A layer then, else only the config changes.
 */
final class WorkdirStep {
  private static final int MODE = 0755;

  private WorkdirStep() {}

  static FilesystemStep.Result run(BuildSession session, StageState state, Instruction.Workdir workdir) {
    String path = "/" + InRootPaths.clean(InRootPaths.resolve(state.settings.workingDir, workdir.path()));
    state.settings.workingDir = path;
    String user = state.settings.user == null ? "" : state.settings.user;
    StepKey key = new StepKey(state.stack.topChainId().orElse(""), "WORKDIR " + path + " user " + user, Map.of(),
        List.of());
    FilesystemStep.Result result = FilesystemStep.apply(session, state, key, mount -> {
      Path root = session.sandbox().mount(mount, "workdir-" + session.keys().incrementAndGet());
      try (RootWriter writer = new RootWriter(root)) {
        BuildSandbox.Owner owner = user.isEmpty() ? new BuildSandbox.Owner(0, 0) : session.sandbox().owner(root, user);
        RootWriter.Meta meta = new RootWriter.Meta(owner.uid(), owner.gid(), MODE, null);
        StringBuilder prefix = new StringBuilder();
        for (String name : path.split("/")) {
          if (!name.isEmpty()) { // each missing one is the user's, as with BuildKit's MkdirAll
            writer.directory(prefix.append('/').append(name).toString(), meta);
          }
        }
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
