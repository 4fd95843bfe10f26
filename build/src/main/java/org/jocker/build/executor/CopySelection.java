package org.jocker.build.executor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jocker.build.context.ContextEntry;
import org.jocker.build.context.DockerIgnore;
import org.jocker.build.context.ParentsSource;
import org.jocker.kernel.Descriptor;
import org.jocker.kernel.InRoot;
import org.jocker.kernel.OpenFlags;

/**
 * What one COPY or ADD source copies from its tree, as BuildKit's copy filters it: each entry the
 * source names (a named symlink followed inside the tree), and for a directory the entries below
 * it with their paths relative to it. {@code --exclude} patterns are matched against those
 * relative paths (BuildKit's rule); a file the source names itself is left out when its name or
 * its path in the tree matches (the reference's rule, which BuildKit does not apply yet). With {@code --parents} the
 * copy starts at the source's pivot (the tree's root without one) and takes what its pattern
 * matches, with the directories above it. A directory that is only a parent of what is copied is
 * still made, with its own metadata, as BuildKit does.
 */
final class CopySelection {
  private final SourceTree tree;
  private final DockerIgnore excludes;
  private final boolean parents;

  /**
   * One named entry (followed if it is a symlink: {@code name} is still the link's, as BuildKit
   * names the copy) and what below it is copied, parents first ({@code relative} is the path under
   * the destination).
   */
  record Part(ContextEntry entry, String name, List<Below> below) {}

  record Below(ContextEntry entry, String relative) {}

  CopySelection(SourceTree tree, List<String> excludes, boolean parents) {
    this.tree = tree;
    this.excludes = DockerIgnore.of(excludes);
    this.parents = parents;
  }

  SourceTree tree() {
    return tree;
  }

  /** The parts {@code source} copies (a missing source without wildcards: Docker's not-found error). */
  List<Part> select(String source) {
    List<Part> parts = new ArrayList<>();
    if (parents) {
      ParentsSource split = ParentsSource.parse(source);
      split.required().ifPresent(tree::select);
      for (ContextEntry pivot : tree.select(split.pivot())) {
        ContextEntry entry = followed(pivot);
        if (entry.kind() == ContextEntry.Kind.DIRECTORY) {
          parts.add(new Part(entry, InRootPaths.baseName(pivot.path()),
              below(entry, rel -> split.pattern().matches(rel) && !excludes.matches(rel))));
        }
      }
      return parts;
    }
    for (ContextEntry named : tree.select(source)) {
      ContextEntry entry = followed(named);
      String name = InRootPaths.baseName(named.path());
      if (entry.kind() == ContextEntry.Kind.DIRECTORY) {
        parts.add(new Part(entry, name, below(entry, rel -> !excludes.matches(rel))));
      } else if (!excludes.matches(name) && !excludes.matches(named.path())) {
        parts.add(new Part(entry, name, List.of()));
      }
    }
    return parts;
  }

  /** The entries below {@code directory} that {@code copied} takes, each after the directories above it. */
  private List<Below> below(ContextEntry directory, Predicate<String> copied) {
    int prefix = directory.path().isEmpty() ? 0 : directory.path().length() + 1;
    List<Below> out = new ArrayList<>();
    Map<String, ContextEntry> leftDirectories = new HashMap<>();
    Set<String> made = new HashSet<>();
    for (ContextEntry entry : tree.contents(directory)) {
      String relative = entry.path().substring(prefix);
      boolean directoryEntry = entry.kind() == ContextEntry.Kind.DIRECTORY;
      if (!copied.test(relative)) {
        if (directoryEntry) {
          leftDirectories.put(relative, entry);
        }
        continue;
      }
      for (int slash = relative.indexOf('/'); slash >= 0; slash = relative.indexOf('/', slash + 1)) {
        String parent = relative.substring(0, slash);
        if (leftDirectories.containsKey(parent) && made.add(parent)) {
          out.add(new Below(leftDirectories.get(parent), parent));
        }
      }
      out.add(new Below(entry, relative));
      if (directoryEntry) {
        made.add(relative);
      }
    }
    return out;
  }

  /** A named source that is a symlink stands for what it points to, inside its tree. */
  private ContextEntry followed(ContextEntry entry) {
    if (entry.kind() != ContextEntry.Kind.SYMLINK) {
      return entry;
    }
    try (Descriptor root = Descriptor.open(tree.root(), OpenFlags.O_PATH | OpenFlags.O_DIRECTORY);
        InRoot.Located at = InRoot.of(root).locate(entry.path(), InRoot.Option.FOLLOW_LAST)) {
      return tree.select(InRootPaths.clean(at.path())).getFirst();
    }
  }
}
