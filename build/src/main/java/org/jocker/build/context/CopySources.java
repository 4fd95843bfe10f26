package org.jocker.build.context;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which of the context's entries one COPY or ADD source names, as BuildKit selects them: the
 * source is made absolute and cleaned (so {@code ../} cannot leave the context, and a trailing
 * slash goes); without wildcards it names one entry, and a missing one is an error; with them
 * (Go's filepath.Match in each element, no {@code **}) it names every entry that matches, maybe
 * none. A directory stands for its contents ({@link #contents}); a symlink is for the executor
 * to follow inside the context's root.
 */
public final class CopySources {
  /** The context's root, as {@code COPY . /dst} names it. */
  public static final ContextEntry ROOT = new ContextEntry("", ContextEntry.Kind.DIRECTORY, 0, null);

  private CopySources() {}

  /** The entries {@code source} names, in the context's order. */
  public static List<ContextEntry> select(List<ContextEntry> context, String source) {
    String path = SlashPaths.clean("/" + source).substring(1);
    if (path.isEmpty()) {
      return List.of(ROOT);
    }
    if (!GoGlob.hasWildcard(path)) {
      return context.stream()
          .filter(e -> e.path().equals(path))
          .findFirst()
          .map(List::of)
          .orElseThrow(() -> new SourceNotFoundException("\"/" + path + "\": not found"));
    }
    Pattern pattern = Pattern.compile("^" + GoGlob.toRegex(path, false) + "$", Pattern.DOTALL);
    return context.stream().filter(e -> pattern.matcher(e.path()).matches()).toList();
  }

  /** Everything below {@code directory} (all of the context for {@link #ROOT}), in order. */
  public static List<ContextEntry> contents(List<ContextEntry> context, ContextEntry directory) {
    if (directory.path().isEmpty()) {
      return context;
    }
    String prefix = directory.path() + "/";
    List<ContextEntry> below = new ArrayList<>();
    for (ContextEntry entry : context) {
      if (entry.path().startsWith(prefix)) {
        below.add(entry);
      }
    }
    return below;
  }
}
