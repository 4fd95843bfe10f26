package org.jocker.build.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jocker.build.BuildException;
import org.jocker.build.context.ContextEntry;
import org.jocker.build.context.CopySources;
import org.jocker.build.context.SourceNotFoundException;
import org.jocker.kernel.Descriptor;
import org.jocker.kernel.InRoot;
import org.jocker.kernel.KernelException;
import org.jocker.kernel.OpenFlags;

/**
 * A root filesystem as a COPY source (COPY --from a stage or image, an archive ADD extracted): a
 * source path is resolved inside the root (its symlinks followed there, never out of it), then
 * listed without following links; a source with wildcards is matched against the whole tree.
 */
final class RootTree implements SourceTree {
  private final Path root;

  RootTree(Path root) {
    this.root = root;
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public List<ContextEntry> select(String source) {
    if (source.contains("*") || source.contains("?") || source.contains("[")) {
      // matched against every entry of the root, as in the context (links are not followed)
      return CopySources.select(contents(CopySources.ROOT), source);
    }
    String path = InRootPaths.clean(source);
    if (path.isEmpty()) {
      return List.of(new ContextEntry("", ContextEntry.Kind.DIRECTORY, 0, null));
    }
    try (Descriptor dir = Descriptor.open(root, OpenFlags.O_PATH | OpenFlags.O_DIRECTORY);
        InRoot.Located at = InRoot.of(dir).locate(path, InRoot.Option.FOLLOW_LAST)) {
      Path file = at.file();
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new SourceNotFoundException("\"/" + path + "\": not found");
      }
      return List.of(entry(file, InRootPaths.clean(at.path())));
    } catch (KernelException e) {
      throw new SourceNotFoundException("\"/" + path + "\": not found");
    } catch (IOException e) {
      throw new BuildException("cannot read /" + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<ContextEntry> contents(ContextEntry directory) {
    List<ContextEntry> below = new ArrayList<>();
    try (Descriptor dir = Descriptor.open(root, OpenFlags.O_PATH | OpenFlags.O_DIRECTORY);
        Descriptor top = InRoot.of(dir).open(directory.path(), OpenFlags.O_PATH | OpenFlags.O_DIRECTORY
            | OpenFlags.O_NOFOLLOW)) {
      // "/proc/self/fd/N/." is the directory itself (the magic link alone would be a link to walk)
      Path start = top.path().resolve(".");
      try (Stream<Path> walk = Files.walk(start)) { // never follows links
        for (Path p : walk.skip(1).sorted().toList()) {
          String relative = start.relativize(p).toString();
          below.add(entry(p, directory.path().isEmpty() ? relative : directory.path() + "/" + relative));
        }
      }
    } catch (IOException e) {
      throw new BuildException("cannot read /" + directory.path() + ": " + e.getMessage(), e);
    }
    return below;
  }

  private static ContextEntry entry(Path file, String path) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (a.isSymbolicLink()) {
      return new ContextEntry(path, ContextEntry.Kind.SYMLINK, 0, Files.readSymbolicLink(file).toString());
    }
    ContextEntry.Kind kind = a.isDirectory() ? ContextEntry.Kind.DIRECTORY
        : a.isRegularFile() ? ContextEntry.Kind.FILE : ContextEntry.Kind.OTHER;
    return new ContextEntry(path, kind, a.size(), null);
  }

  @Override
  public boolean keepsOwners() {
    return true;
  }
}
