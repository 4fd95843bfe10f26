package org.jocker.images;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jocker.images.registry.credentials.CredentialStore;

/**
 * Whose registry credentials a command uses: the directory of that user's Docker config.json
 * and the user's environment (credential helpers run in it, found on its PATH).
 */
public record RegistryUser(Path configDir, Map<String, String> env) {
  public RegistryUser {
    env = Map.copyOf(env);
  }

  /**
   * The caller's, found as Docker's client finds it: {@code --config DIR} ({@code flag}), else
   * {@code $DOCKER_CONFIG}, else {@code $HOME/.docker}; relative paths are the caller's.
   */
  public static RegistryUser of(Optional<Path> flag, Map<String, String> env, Path cwd) {
    return new RegistryUser(CredentialStore.configDir(flag, env, cwd), env);
  }

  CredentialStore store() {
    return new CredentialStore(configDir, env);
  }
}
