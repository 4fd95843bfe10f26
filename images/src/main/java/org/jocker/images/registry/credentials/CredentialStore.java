package org.jocker.images.registry.credentials;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One user's credentials, where their Docker client keeps them: the helper config.json names for
 * the registry ({@code credHelpers}, else {@code credsStore}), else config.json's {@code auths}.
 */
public final class CredentialStore implements CredentialSource {
  private final Path configDir;
  private final Map<String, String> env;

  /**
   * @param configDir the directory of config.json (see {@link #configDir})
   * @param env the user's environment: credential helpers run in it
   */
  public CredentialStore(Path configDir, Map<String, String> env) {
    this.configDir = configDir;
    this.env = Map.copyOf(env);
  }

  /**
   * Where a user's config.json is, as Docker finds it: {@code --config DIR}, else
   * {@code $DOCKER_CONFIG}, else {@code $HOME/.docker}.
   */
  public static Path configDir(Optional<Path> flag, Map<String, String> env, Path cwd) {
    if (flag.isPresent()) {
      return cwd.resolve(flag.get());
    }
    String dockerConfig = env.getOrDefault("DOCKER_CONFIG", "");
    if (!dockerConfig.isEmpty()) {
      return cwd.resolve(dockerConfig);
    }
    String home = env.getOrDefault("HOME", "");
    return Path.of(home.isEmpty() ? "/root" : home).resolve(".docker");
  }

  public Path configFile() {
    return configDir.resolve("config.json");
  }

  /** The credential helper that keeps {@code key}'s credentials, if config.json names one. */
  public Optional<String> helperFor(String key) {
    return DockerConfigFile.load(configDir).helperFor(key);
  }

  @Override
  public Optional<Credentials> lookup(String registry) {
    String key = ServerKey.of(registry);
    DockerConfigFile config = DockerConfigFile.load(configDir);
    Optional<String> helper = config.helperFor(key);
    if (helper.isPresent()) {
      return new CredentialHelper(helper.get(), env).get(key);
    }
    return config.auth(key);
  }

  /** Stores {@code credentials} for {@code server} (replacing any). */
  public void store(String server, Credentials credentials) {
    String key = ServerKey.of(server);
    DockerConfigFile config = DockerConfigFile.load(configDir);
    Optional<String> helper = config.helperFor(key);
    if (helper.isPresent()) {
      new CredentialHelper(helper.get(), env).store(key, credentials);
      config.putEmpty(key); // Docker's note that the login exists; the secret is the helper's
    } else {
      config.putAuth(key, credentials);
    }
    config.save();
  }

  /** Removes {@code server}'s credentials; false when there were none. */
  public boolean erase(String server) {
    String key = ServerKey.of(server);
    DockerConfigFile config = DockerConfigFile.load(configDir);
    Optional<String> helper = config.helperFor(key);
    boolean had = helper.isPresent() && new CredentialHelper(helper.get(), env).erase(key);
    if (config.removeAuth(key)) {
      had = true;
      config.save();
    }
    return had;
  }
}
