package org.jocker.build.context;

import java.util.List;
import java.util.Optional;

/**
 * A source of {@code COPY --parents}, split as BuildKit splits it: at the first {@code /./} into
 * the directory the copy starts from (the pivot: only the parents after it are kept) and the
 * pattern below it; without one, from the root with the whole source as the pattern. The pattern
 * is Docker's pattern matcher's ({@code **} across directories, a match of a directory taking all
 * below it). Without wildcards the path it names must exist; with them, no match is no error.
 */
public record ParentsSource(String pivot, DockerIgnore pattern, Optional<String> required) {

  public static ParentsSource parse(String source) {
    int cut = source.indexOf("/./");
    String pivot = cut < 0 ? "/" : source.substring(0, cut);
    String below = cut < 0 ? source : source.substring(cut + 3);
    String cleaned = SlashPaths.clean("/" + below).substring(1);
    Optional<String> required = GoGlob.hasWildcard(pivot) || GoGlob.hasWildcard(cleaned)
        ? Optional.empty() : Optional.of(pivot.endsWith("/") ? pivot + cleaned : pivot + "/" + cleaned);
    return new ParentsSource(pivot, DockerIgnore.of(List.of(cleaned.isEmpty() ? "**" : cleaned)), required);
  }
}
