package org.jocker.images.registry.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.jocker.images.registry.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Credentials ALICE = new Credentials("alice", "pa:ss word");

  @TempDir Path tmp;

  private JsonNode configJson() throws Exception {
    return JSON.readTree(Files.readAllBytes(tmp.resolve("docker/config.json")));
  }

  @Test
  void credentialsGoToConfigJsonAsDockerWritesThem() throws Exception {
    Path dir = tmp.resolve("docker");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), "{\"psFormat\":\"{{.ID}}\",\"auths\":{\"other.example\":{\"auth\":\"eDp5\"}}}");
    CredentialStore store = new CredentialStore(dir, Map.of());

    store.store("127.0.0.1:5000", ALICE);
    store.store("docker.io", new Credentials("bob", "hub"));

    JsonNode json = configJson();
    assertThat(json.path("psFormat").asText()).isEqualTo("{{.ID}}");
    assertThat(json.path("auths").path("other.example").path("auth").asText()).isEqualTo("eDp5");
    assertThat(new String(Base64.getDecoder().decode(json.path("auths").path("127.0.0.1:5000").path("auth").asText()),
        StandardCharsets.UTF_8)).isEqualTo("alice:pa:ss word");
    assertThat(json.path("auths").has("https://index.docker.io/v1/")).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("config.json"))))
        .isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("config.json");
    }

    assertThat(store.lookup("127.0.0.1:5000")).hasValue(ALICE);
    assertThat(store.lookup("docker.io")).hasValue(new Credentials("bob", "hub"));
    assertThat(store.lookup("index.docker.io")).hasValue(new Credentials("bob", "hub"));
    assertThat(store.lookup("127.0.0.1:5001")).isEmpty();

    assertThat(store.erase("127.0.0.1:5000")).isTrue();
    assertThat(store.erase("127.0.0.1:5000")).isFalse();
    assertThat(store.lookup("127.0.0.1:5000")).isEmpty();
    assertThat(configJson().path("auths").path("other.example").path("auth").asText()).isEqualTo("eDp5");
  }

  @Test
  void keysWrittenAsUrlsNameTheirHost() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(dir.resolve("config.json"),
        "{\"auths\":{\"https://registry.example:5000/v2/\":{\"auth\":\"" + ALICE.encoded() + "\"}}}");
    CredentialStore store = new CredentialStore(dir, Map.of());
    assertThat(store.lookup("registry.example:5000")).hasValue(ALICE);
    assertThat(store.erase("registry.example:5000")).isTrue();
    assertThat(configJson().path("auths").size()).isZero();
  }

  @Test
  void aMissingFileHasNoCredentialsAndABrokenOneIsAnError() throws Exception {
    Path dir = tmp.resolve("docker");
    assertThat(new CredentialStore(dir, Map.of()).lookup("docker.io")).isEmpty();
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), "{\"auths\": ");
    assertThatThrownBy(() -> new CredentialStore(dir, Map.of()).lookup("docker.io"))
        .isInstanceOf(RegistryException.class).hasMessageStartingWith("loading config file: " + dir.resolve("config.json"));
  }

  @Test
  void theConfigDirectoryIsFoundAsDockersClientFindsIt() {
    Path cwd = Path.of("/work/here");
    assertThat(CredentialStore.configDir(Optional.of(Path.of("cfg")), Map.of("DOCKER_CONFIG", "/x"), cwd))
        .isEqualTo(Path.of("/work/here/cfg"));
    assertThat(CredentialStore.configDir(Optional.empty(), Map.of("DOCKER_CONFIG", "/x", "HOME", "/home/a"), cwd))
        .isEqualTo(Path.of("/x"));
    assertThat(CredentialStore.configDir(Optional.empty(), Map.of("HOME", "/home/a"), cwd))
        .isEqualTo(Path.of("/home/a/.docker"));
  }

  // --- credential helpers ---------------------------------------------------------------------

  /** docker-credential-testhelper: keeps each server's message in a file of its own directory. */
  private Map<String, String> helperOnPath() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path kept = Files.createDirectories(tmp.resolve("kept"));
    Path helper = bin.resolve("docker-credential-testhelper");
    Files.writeString(helper, """
        #!/usr/bin/env python3
        import base64, json, os, sys
        def path(server):
            return os.path.join("%s", base64.urlsafe_b64encode(server.encode()).decode())
        verb, data = sys.argv[1], sys.stdin.read()
        if verb == "store":
            message = json.loads(data)
            with open(path(message["ServerURL"]), "w") as f:
                json.dump(message, f)
        elif not os.path.exists(path(data.strip())):
            print("credentials not found in native keychain")
            sys.exit(1)
        elif verb == "get":
            print(open(path(data.strip())).read())
        elif verb == "erase":
            os.remove(path(data.strip()))
        """.formatted(kept));
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    return Map.of("PATH", bin + ":" + System.getenv("PATH"));
  }

  /** A store over a config.json of {@code json}, with the test's helper on PATH. */
  private CredentialStore helperStore(String json) throws Exception {
    Map<String, String> env = helperOnPath();
    Path dir = Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(dir.resolve("config.json"), json);
    return new CredentialStore(dir, env);
  }

  @Test
  void aCredsStoreKeepsTheSecretAndConfigJsonOnlyNotesTheLogin() throws Exception {
    CredentialStore store = helperStore("{\"credsStore\":\"testhelper\"}");

    store.store("127.0.0.1:5000", ALICE);
    try (var kept = Files.list(tmp.resolve("kept"))) {
      assertThat(kept).hasSize(1);
    }
    assertThat(configJson().path("auths").path("127.0.0.1:5000").size()).as("no secret in the file").isZero();
    assertThat(store.lookup("127.0.0.1:5000")).hasValue(ALICE);
    assertThat(store.lookup("127.0.0.1:5001")).isEmpty();
    assertThat(store.erase("127.0.0.1:5000")).isTrue();
    assertThat(store.lookup("127.0.0.1:5000")).isEmpty();
    try (var kept = Files.list(tmp.resolve("kept"))) {
      assertThat(kept).isEmpty();
    }
  }

  @Test
  void credHelpersApplyToTheirRegistryOnly() throws Exception {
    CredentialStore store = helperStore("{\"credHelpers\":{\"127.0.0.1:5000\":\"testhelper\"}}");
    store.store("127.0.0.1:5000", ALICE);
    store.store("127.0.0.1:5001", ALICE);
    assertThat(configJson().path("auths").path("127.0.0.1:5000").has("auth")).isFalse();
    assertThat(configJson().path("auths").path("127.0.0.1:5001").has("auth")).isTrue();
    assertThat(store.lookup("127.0.0.1:5000")).hasValue(ALICE);
  }

  @Test
  void aHelperMissingFromPathIsDockersError() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(dir.resolve("config.json"), "{\"credsStore\":\"nosuchhelper\"}");
    assertThatThrownBy(() -> new CredentialStore(dir, Map.of("PATH", tmp.toString())).lookup("docker.io"))
        .isInstanceOf(RegistryException.class)
        .hasMessage("error getting credentials - err: exec: \"docker-credential-nosuchhelper\": executable file not found in $PATH");
  }
}
