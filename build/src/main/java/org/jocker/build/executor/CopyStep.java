package org.jocker.build.executor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jocker.build.context.SourceNotFoundException;
import org.jocker.build.dockerfile.FileTransfer;
import org.jocker.build.dockerfile.SourceLines;
import org.jocker.engine.lifecycle.BuildSandbox;
import org.jocker.images.LayerStack;

/**
 * COPY and ADD: the sources from a tree (the context, another stage's root, an image's) written
 * into a snapshot of the stage's root (mounted in the sandbox for the copy), one layer. ADD also
 * extracts a local tar archive (plain, gzip, bzip2 or xz) into the destination.
 */
final class CopyStep {
  private CopyStep() {}

  /** Where the sources come from: the context, or a stack of layers (another stage, an image). */
  sealed interface From {
    record Context() implements From {}

    record Layers(LayerStack stack) implements From {}
  }

  static FilesystemStep.Result copy(BuildSession session, StageState state, FileTransfer transfer, From from, boolean add,
      Optional<Boolean> unpack, String text, SourceLines lines, String label) {
    if (!transfer.excludes().isEmpty()) {
      throw new StepFailedException("--exclude is not supported yet", label, lines);
    }
    // --link changes how BuildKit stacks the layer, not what it holds: the same files are copied
    String destination = InRootPaths.resolve(state.settings.workingDir, transfer.destination());
    Integer chmod = transfer.chmod().map(m -> chmod(m, label, lines)).orElse(null);
    List<String> sourceNames = new ArrayList<>();
    transfer.sources().forEach(s -> sourceNames.add(s.toString()));
    if (from instanceof From.Layers(LayerStack stack)) {
      sourceNames.add("from " + stack.topChainId().orElse("scratch"));
    } else {
      List<String> paths = transfer.sources().stream()
          .filter(s -> s instanceof FileTransfer.Source.Path).map(s -> ((FileTransfer.Source.Path) s).path()).toList();
      try {
        sourceNames.add("content " + ContentDigests.of(session.context(), paths));
      } catch (SourceNotFoundException e) {
        throw new StepFailedException("failed to compute cache key: " + e.getMessage(), label, lines, e);
      }
    }
    StepKey key = new StepKey(state.stack.topChainId().orElse(""), text, state.scope.argValues(), sourceNames);
    FilesystemStep.Result result = FilesystemStep.apply(session, state, key, mount -> {
      BuildSandbox sandbox = session.sandbox();
      Path root = sandbox.mount(mount, "dest-" + session.keys().incrementAndGet());
      try {
        FileCopy.Owner owner = transfer.chown().map(c -> owner(sandbox, root, c)).orElse(null);
        try (RootWriter writer = new RootWriter(root)) {
          withTree(session, from, tree -> {
            List<FileTransfer.Source> plain = new ArrayList<>();
            for (FileTransfer.Source source : transfer.sources()) {
              if (!(add && source instanceof FileTransfer.Source.Path(String p))) {
                plain.add(source);
              } else if (Archives.isUrl(p)) {
                throw new StepFailedException("ADD from a URL is not supported yet: " + p, label, lines);
              } else if (unpack.orElse(true) && Archives.isArchive(tree, p)) {
                Path extracted = Archives.extract(tree, p,
                    sandbox.scratchDirectory("add-" + session.keys().incrementAndGet()));
                new FileCopy(new RootTree(extracted), writer, owner, chmod).copy(
                    List.of(new FileTransfer.Source.Path("/")), destination.endsWith("/") ? destination : destination + "/");
              } else {
                plain.add(source);
              }
            }
            if (!plain.isEmpty()) {
              new FileCopy(tree, writer, owner, chmod).copy(plain, destination);
            }
          });
        }
      } catch (SourceNotFoundException e) {
        throw new StepFailedException("failed to compute cache key: " + e.getMessage(), label, lines, e);
      } finally {
        sandbox.unmount(root);
      }
      return List.of();
    });
    state.stack = result.stack();
    state.settings.history.add(BuildSession.history(text + HistoryText.BUILDKIT, !result.addedLayer(),
        result.created()));
    return result;
  }

  /** Runs {@code work} with the source tree: the context, or a read-only view of a stack, mounted meanwhile. */
  private static void withTree(BuildSession session, From from, java.util.function.Consumer<SourceTree> work) {
    switch (from) {
      case From.Context() -> work.accept(session.context());
      case From.Layers(LayerStack stack) -> {
        String key = session.newSnapshotKey();
        var view = session.layers().view(key, stack);
        try {
          Path root = session.sandbox().mount(view, "from-" + session.keys().incrementAndGet());
          try {
            work.accept(new RootTree(root));
          } finally {
            session.sandbox().unmount(root);
          }
        } finally {
          session.layers().discard(key);
        }
      }
    }
  }

  /**
   * --chown=USER[:GROUP] as numbers or names of the root being built; without a group the gid is
   * the uid, as Docker's reference says.
   */
  private static FileCopy.Owner owner(BuildSandbox sandbox, Path root, String chown) {
    String[] parts = chown.split(":", 2);
    long uid = parts[0].matches("\\d+") ? Long.parseLong(parts[0]) : sandbox.owner(root, parts[0]).uid();
    long gid = parts.length == 1 ? uid
        : parts[1].matches("\\d+") ? Long.parseLong(parts[1]) : sandbox.owner(root, "0:" + parts[1]).gid();
    return new FileCopy.Owner(uid, gid);
  }

  private static int chmod(String mode, String label, SourceLines lines) {
    if (!mode.matches("[0-7]{1,4}")) {
      throw new StepFailedException("invalid chmod parameter: " + mode, label, lines);
    }
    return Integer.parseInt(mode, 8);
  }
}
