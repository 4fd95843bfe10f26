package org.jocker.images;

import java.util.Objects;

/**
 * Who talks to registries for one command, and how they are reached: the engine's configuration
 * ({@code access}: mirrors, insecure registries, CAs) and the caller's credentials ({@code user}).
 */
public record RegistryCaller(RegistryAccess access, RegistryUser user) {
  public RegistryCaller {
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(user, "user");
  }
}
