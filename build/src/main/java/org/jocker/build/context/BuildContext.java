package org.jocker.build.context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.jocker.build.BuildException;

/**
 * A build context directory and the .dockerignore that applies to it: {@code NAME.dockerignore}
 * beside the Dockerfile {@code NAME} wins over the context's {@code .dockerignore}. The Dockerfile
 * and the ignore file are read by the builder whatever the patterns say; the patterns only decide
 * what COPY and ADD see, so excluding them keeps them out of the image as Docker does.
 */
public final class BuildContext {
  private final Path root;
  private final DockerIgnore ignore;
  private final Path ignoreFile;

  private BuildContext(Path root, DockerIgnore ignore, Path ignoreFile) {
    this.root = root;
    this.ignore = ignore;
    this.ignoreFile = ignoreFile;
  }

  /** The context at {@code root}, for the Dockerfile at {@code dockerfile} (maybe outside root). */
  public static BuildContext open(Path root, Path dockerfile) {
    Path specific = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
    Path general = root.resolve(".dockerignore");
    for (Path candidate : List.of(specific, general)) {
      try {
        String text = Files.readString(candidate);
        try {
          return new BuildContext(root, DockerIgnore.parse(text), candidate);
        } catch (IgnorePatternException e) {
          throw new IgnorePatternException(candidate + ": " + e.getMessage());
        }
      } catch (NoSuchFileException e) {
        // try the next one
      } catch (IOException e) {
        throw new BuildException("cannot read " + candidate + ": " + e.getMessage(), e);
      }
    }
    return new BuildContext(root, DockerIgnore.NONE, null);
  }

  public Path root() {
    return root;
  }

  public DockerIgnore ignore() {
    return ignore;
  }

  /** The ignore file in force, or null when there is none. */
  public Path ignoreFile() {
    return ignoreFile;
  }

  public boolean excludes(String path) {
    return ignore.matches(path);
  }

  /**
   * Every entry COPY may use, parents before children, in name order. Symlinks are listed as
   * links and never followed, so nothing outside the context is reached; an excluded directory is
   * entered only when an exception could bring back something below it, and then listed only if
   * something below it is.
   */
  public List<ContextEntry> files() {
    List<ContextEntry> entries = new ArrayList<>();
    try {
      walk(root, "", entries);
    } catch (IOException e) {
      throw new BuildException("cannot read the build context " + root + ": " + e.getMessage(), e);
    }
    return entries;
  }

  private void walk(Path dir, String prefix, List<ContextEntry> entries) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    children.sort(null);
    for (Path child : children) {
      String path = prefix + child.getFileName();
      BasicFileAttributes attrs =
          Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      boolean excluded = ignore.matches(path);
      if (attrs.isDirectory()) {
        if (excluded && !ignore.mayReincludeBelow(path)) {
          continue;
        }
        int at = entries.size();
        walk(child, path + "/", entries);
        if (!excluded || entries.size() > at) {
          entries.add(at, new ContextEntry(path, ContextEntry.Kind.DIRECTORY, 0, null));
        }
      } else if (!excluded) {
        entries.add(entry(child, path, attrs));
      }
    }
  }

  private static ContextEntry entry(Path file, String path, BasicFileAttributes attrs) throws IOException {
    if (attrs.isSymbolicLink()) {
      return new ContextEntry(path, ContextEntry.Kind.SYMLINK, 0, Files.readSymbolicLink(file).toString());
    }
    return new ContextEntry(path,
        attrs.isRegularFile() ? ContextEntry.Kind.FILE : ContextEntry.Kind.OTHER, attrs.size(), null);
  }
}
