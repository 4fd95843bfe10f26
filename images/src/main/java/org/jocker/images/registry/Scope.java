package org.jocker.images.registry;

import java.util.List;
import java.util.Objects;

/**
 * What a request needs the right to do, in the token protocol's words ({@code
 * repository:library/busybox:pull}); a cross-repository mount needs pull on its source too.
 */
public record Scope(List<String> values) {
  public Scope {
    values = List.copyOf(Objects.requireNonNull(values, "values"));
  }

  public static Scope pull(String repository) {
    return new Scope(List.of("repository:" + repository + ":pull"));
  }

  public static Scope push(String repository) {
    return new Scope(List.of("repository:" + repository + ":pull,push"));
  }

  /** Push to {@code repository}, mounting blobs from {@code source}. */
  public static Scope mount(String repository, String source) {
    return new Scope(List.of("repository:" + repository + ":pull,push", "repository:" + source + ":pull"));
  }

  /** The registry's own API root ({@code /v2/}), as login checks it: no repository. */
  public static Scope none() {
    return new Scope(List.of());
  }
}
