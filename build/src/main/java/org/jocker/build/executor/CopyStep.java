package org.jocker.build.executor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jocker.build.context.IgnorePatternException;
import org.jocker.build.context.SourceNotFoundException;
import org.jocker.build.dockerfile.FileTransfer;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.build.dockerfile.SourceLines;
import org.jocker.engine.lifecycle.BuildSandbox;
import org.jocker.images.LayerStack;

/**
 * COPY and ADD: the sources from a tree (the context, another stage's root, an image's) written
 * into a snapshot of the stage's root (mounted in the sandbox for the copy), one layer, each source
 * filtered by {@link CopySelection} (--exclude, --parents). ADD also extracts a local tar archive
 * (plain, gzip, bzip2 or xz) into the destination, and adds the files of http(s) URLs
 * ({@link AddUrls}).
 */
final class CopyStep {
  private CopyStep() {}

  /** Where the sources come from: the context, or a stack of layers (another stage, an image). */
  sealed interface From {
    record Context() implements From {}

    record Layers(LayerStack stack) implements From {}
  }

  /** What COPY and ADD differ in. */
  private record Options(boolean add, Optional<Boolean> unpack, Optional<String> checksum, boolean parents) {}

  static FilesystemStep.Result copy(BuildSession session, StageState state, Instruction instruction, From from,
      String text, String label) {
    SourceLines lines = instruction.lines();
    FileTransfer transfer;
    Options options;
    switch (instruction) {
      case Instruction.Copy c -> {
        transfer = c.transfer();
        options = new Options(false, Optional.empty(), Optional.empty(), c.parents());
      }
      case Instruction.Add a -> {
        transfer = a.transfer();
        options = new Options(true, a.unpack(), a.checksum(), false);
      }
      default -> throw new IllegalArgumentException("not a copy: " + instruction);
    }
    AddUrls urls = AddUrls.of(session, transfer, options.add(), options.checksum(), label, lines);
    // --link changes how BuildKit stacks the layer, not what it holds: the same files are copied
    String destination = InRootPaths.resolve(state.settings.workingDir, transfer.destination());
    Integer chmod = transfer.chmod().map(m -> chmod(m, label, lines)).orElse(null);
    StepKey key = new StepKey(state.stack.topChainId().orElse(""), text, state.scope.argValues(),
        sourceNames(session, transfer, options, from, urls, label, lines));
    FilesystemStep.Result result = FilesystemStep.apply(session, state, key, mount -> {
      BuildSandbox sandbox = session.sandbox();
      Path root = sandbox.mount(mount, "dest-" + session.keys().incrementAndGet());
      try {
        FileCopy.Owner owner = transfer.chown().map(c -> owner(sandbox, root, c)).orElse(null);
        try (RootWriter writer = new RootWriter(root)) {
          withTree(session, from, tree -> {
            CopySelection selection = new CopySelection(tree, transfer.excludes(), options.parents());
            List<FileTransfer.Source> plain = new ArrayList<>();
            for (FileTransfer.Source source : transfer.sources()) {
              if (source instanceof FileTransfer.Source.Path(String p) && urls.contains(p)) {
                // several sources go into a directory, whether DEST ends in "/" or not
                String into = transfer.sources().size() > 1 && !destination.endsWith("/") ? destination + "/" : destination;
                HttpSource.Fetched f = urls.fetched(p);
                RootTree downloaded = new RootTree(f.directory());
                String name = "/" + f.name();
                if (options.unpack().orElse(false) && Archives.isArchive(downloaded, name)) {
                  extractInto(session, downloaded, name, writer, owner, chmod, into);
                } else {
                  new FileCopy(new CopySelection(downloaded, transfer.excludes(), false), writer, owner, chmod)
                      .copy(List.of(new FileTransfer.Source.Path(name)), into);
                }
              } else if (!(options.add() && source instanceof FileTransfer.Source.Path(String p))) {
                plain.add(source);
              } else if (options.unpack().orElse(true) && Archives.isArchive(tree, p)) {
                if (!selection.select(p).isEmpty()) { // an archive whose name --exclude names is left out
                  extractInto(session, tree, p, writer, owner, chmod, destination);
                }
              } else {
                plain.add(source);
              }
            }
            if (!plain.isEmpty()) {
              new FileCopy(selection, writer, owner, chmod).copy(plain, destination);
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

  /**
   * What the step's key takes of its sources: as written, the --exclude patterns, --parents, and
   * the digest of what the copy takes from the context (or the chain ID of the stage or image it
   * copies from), and each URL's.
   */
  private static List<String> sourceNames(BuildSession session, FileTransfer transfer, Options options, From from,
      AddUrls urls, String label, SourceLines lines) {
    List<String> names = new ArrayList<>();
    transfer.sources().forEach(s -> names.add(s.toString()));
    transfer.excludes().forEach(e -> names.add("exclude " + e));
    if (options.parents()) {
      names.add("parents");
    }
    if (from instanceof From.Layers(LayerStack stack)) {
      names.add("from " + stack.topChainId().orElse("scratch"));
    } else {
      List<String> paths = transfer.sources().stream()
          .filter(s -> s instanceof FileTransfer.Source.Path(String p) && !urls.contains(p))
          .map(s -> ((FileTransfer.Source.Path) s).path()).toList();
      try {
        CopySelection selection = new CopySelection(session.context(), transfer.excludes(), options.parents());
        names.add("content " + ContentDigests.of(session.context(), paths, selection));
      } catch (SourceNotFoundException | IgnorePatternException e) {
        throw new StepFailedException("failed to compute cache key: " + e.getMessage(), label, lines, e);
      }
    }
    names.addAll(urls.keyParts());
    return names;
  }

  /** Extracts the archive {@code source} of {@code tree} in the sandbox and copies what it holds into the directory {@code destination}. */
  private static void extractInto(BuildSession session, SourceTree tree, String source, RootWriter writer,
      FileCopy.Owner owner, Integer chmod, String destination) {
    Path extracted = Archives.extract(tree, source,
        session.sandbox().scratchDirectory("add-" + session.keys().incrementAndGet()));
    new FileCopy(new CopySelection(new RootTree(extracted), List.of(), false), writer, owner, chmod).copy(
        List.of(new FileTransfer.Source.Path("/")), destination.endsWith("/") ? destination : destination + "/");
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
