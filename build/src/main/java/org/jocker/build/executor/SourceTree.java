package org.jocker.build.executor;

import java.nio.file.Path;
import java.util.List;
import org.jocker.build.context.ContextEntry;

/**
 * Where COPY/ADD read from: the build context (with .dockerignore), another stage's root, an
 * image's, or an extracted archive. Paths are "/"-separated and relative to the tree's root.
 */
interface SourceTree {
  /** The tree's directory on the host: entries are opened under it with the kernel's InRoot. */
  Path root();

  /** The entries a COPY source names (Docker's not-found error when it names nothing). */
  List<ContextEntry> select(String source);

  /** Everything below a directory entry, parents first. */
  List<ContextEntry> contents(ContextEntry directory);

  /** Whether copies keep the owners they have here (another stage, an archive) or become root's (the context). */
  boolean keepsOwners();
}
