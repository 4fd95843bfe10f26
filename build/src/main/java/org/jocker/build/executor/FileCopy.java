package org.jocker.build.executor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import org.jocker.build.BuildException;
import org.jocker.build.context.ContextEntry;
import org.jocker.build.dockerfile.FileTransfer;
import org.jocker.build.dockerfile.Heredoc;
import org.jocker.kernel.Descriptor;
import org.jocker.kernel.InRoot;
import org.jocker.kernel.OpenFlags;

/**
 * One COPY or ADD's sources into the root being built, by Docker's rules: a directory source
 * copies its contents; a file goes to DEST, or into DEST when DEST ends in "/", is an existing
 * directory, or there are several sources or wildcards; a source that is itself a symlink is
 * followed inside its tree. Owners are root's (from the context) or kept (from a stage or an
 * archive) unless --chown; modes are kept unless --chmod; times are kept.
 */
final class FileCopy {
  private static final int DEFAULT_DIR_MODE = 0755;
  private static final int HEREDOC_MODE = 0644;

  private final SourceTree tree;
  private final CopySelection selection;
  private final RootWriter writer;
  private final Owner owner;
  private final Integer chmod;
  /** Directories made from a source directory, with its mtime, set again when the copy ends. */
  private final List<Map.Entry<String, FileTime>> directoryTimes = new ArrayList<>();

  /** A --chown: uid and gid. */
  record Owner(long uid, long gid) {}

  /** @param selection what of its tree each source copies @param owner --chown (null: none) @param chmod --chmod (null: none) */
  FileCopy(CopySelection selection, RootWriter writer, Owner owner, Integer chmod) {
    this.tree = selection.tree();
    this.selection = selection;
    this.writer = writer;
    this.owner = owner;
    this.chmod = chmod;
  }

  void copy(List<FileTransfer.Source> sources, String destination) {
    boolean many = sources.size() > 1 || sources.stream().anyMatch(FileCopy::hasWildcard);
    boolean intoDirectory = destination.endsWith("/") || many;
    try (Descriptor sourceRoot = Descriptor.open(tree.root(), OpenFlags.O_PATH | OpenFlags.O_DIRECTORY)) {
      InRoot in = InRoot.of(sourceRoot);
      for (FileTransfer.Source source : sources) {
        switch (source) {
          case FileTransfer.Source.Inline(Heredoc doc) -> writer.file(target(destination, doc.name(), intoDirectory),
              new ByteArrayInputStream(doc.content().getBytes(StandardCharsets.UTF_8)),
              meta(new RootWriter.Meta(0, 0, HEREDOC_MODE, null)));
          case FileTransfer.Source.Path(String path) -> {
            for (CopySelection.Part part : selection.select(path)) {
              copyPart(in, part, destination, intoDirectory);
            }
          }
        }
      }
    }
    for (Map.Entry<String, FileTime> dir : directoryTimes.reversed()) { // children before parents
      writer.modified(dir.getKey(), dir.getValue());
    }
  }

  private void copyPart(InRoot in, CopySelection.Part part, String destination, boolean intoDirectory) {
    ContextEntry entry = part.entry();
    if (entry.kind() == ContextEntry.Kind.DIRECTORY) {
      writer.directory(destination, meta(new RootWriter.Meta(0, 0, DEFAULT_DIR_MODE, null)));
      for (CopySelection.Below below : part.below()) {
        copyEntry(in, below.entry(), join(destination, below.relative()));
      }
    } else {
      copyEntry(in, entry, target(destination, part.name(), intoDirectory));
    }
  }

  private String target(String destination, String name, boolean intoDirectory) {
    return intoDirectory || writer.isDirectory(destination) ? join(destination, name) : destination;
  }

  private void copyEntry(InRoot in, ContextEntry entry, String target) {
    switch (entry.kind()) {
      case DIRECTORY -> {
        try (Descriptor d = in.open(entry.path(), OpenFlags.O_PATH | OpenFlags.O_NOFOLLOW | OpenFlags.O_DIRECTORY)) {
          RootWriter.Meta meta = meta(sourceMeta(d));
          if (writer.directory(target, meta) && meta.modified() != null) {
            directoryTimes.add(Map.entry(target, meta.modified()));
          }
        }
      }
      case FILE -> {
        try (Descriptor d = in.open(entry.path(), OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW);
            InputStream content = Files.newInputStream(d.path())) {
          writer.file(target, content, meta(sourceMeta(d)));
        } catch (IOException e) {
          throw new BuildException("cannot read " + entry.path() + ": " + e.getMessage(), e);
        }
      }
      case SYMLINK -> writer.symlink(target, entry.linkTarget(), meta(new RootWriter.Meta(0, 0, 0777, null)));
      case OTHER -> {
        // devices, fifos and sockets of a context are not copied
      }
    }
  }

  /** The source's own owner when its tree keeps owners, else root; its mode and time. */
  private RootWriter.Meta sourceMeta(Descriptor d) {
    try {
      RootWriter.Meta m = RootWriter.metaOf(d.path());
      return tree.keepsOwners() ? m : new RootWriter.Meta(0, 0, m.mode(), m.modified());
    } catch (IOException e) {
      throw new BuildException("cannot stat a source: " + e.getMessage(), e);
    }
  }

  /** --chown and --chmod over what the entry would get. */
  private RootWriter.Meta meta(RootWriter.Meta m) {
    return new RootWriter.Meta(owner != null ? owner.uid() : m.uid(), owner != null ? owner.gid() : m.gid(),
        chmod != null ? chmod : m.mode(), m.modified());
  }

  private static String join(String dir, String name) {
    if (name.isEmpty()) {
      return dir;
    }
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }

  private static boolean hasWildcard(FileTransfer.Source source) {
    return source instanceof FileTransfer.Source.Path(String p) && (p.contains("*") || p.contains("?") || p.contains("["));
  }
}
