package org.jocker.build.executor;

import java.nio.file.Path;
import java.util.List;
import org.jocker.build.context.BuildContext;
import org.jocker.build.context.ContextEntry;
import org.jocker.build.context.CopySources;

/** The build context as COPY sees it: listed once, .dockerignore applied, symlinks never followed. */
final class ContextTree implements SourceTree {
  private final BuildContext context;
  private List<ContextEntry> entries;

  ContextTree(BuildContext context) {
    this.context = context;
  }

  private synchronized List<ContextEntry> entries() {
    if (entries == null) {
      entries = context.files();
    }
    return entries;
  }

  @Override
  public Path root() {
    return context.root();
  }

  @Override
  public List<ContextEntry> select(String source) {
    return CopySources.select(entries(), source);
  }

  @Override
  public List<ContextEntry> contents(ContextEntry directory) {
    return CopySources.contents(entries(), directory);
  }

  @Override
  public boolean keepsOwners() {
    return false;
  }

  /** Total bytes of the context's regular files (BuildKit's "transferring context" line). */
  long size() {
    return entries().stream().mapToLong(ContextEntry::size).sum();
  }
}
