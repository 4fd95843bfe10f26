package org.jocker.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.jocker.cli.testing.TestTerminal;
import org.jocker.images.registry.Htpasswd;
import org.jocker.images.registry.RegistryServer;
import org.jocker.images.registry.TestPki;
import org.jocker.images.registry.TokenIssuer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `login` and `logout` against Debian's registry, with Basic (htpasswd) and token authentication. */
class LoginCliTest extends CliTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret";

  private Path config;

  @BeforeEach
  void registryInstalled() {
    assumeTrue(RegistryServer.installed(), "docker-registry is not installed");
    config = tmp.resolve("docker");
  }

  private Jocker.Result jocker(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString(),
        "--config-file", tmp.resolve("etc/daemon.json").toString()));
    all.addAll(List.of(args));
    return jocker.run(all.toArray(String[]::new));
  }

  private RegistryServer htpasswdRegistry() throws Exception {
    return RegistryServer.start(Htpasswd.registryConfig(tmp, USER, PASSWORD), null);
  }

  private String storedAuth(String key) throws Exception {
    JsonNode json = JSON.readTree(Files.readAllBytes(config.resolve("config.json")));
    String auth = json.path("auths").path(key).path("auth").asText("");
    return new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
  }

  @Test
  void loginChecksAndStoresBasicCredentialsAndLogoutRemovesThem() throws Exception {
    try (RegistryServer registry = htpasswdRegistry()) {
      Jocker.Result wrong = jocker("login", "-u", USER, "-p", "wrong", registry.host());
      assertThat(wrong.code()).isEqualTo(1);
      assertThat(wrong.out()).isEmpty();
      assertThat(wrong.err()).endsWith("jocker: Error response from daemon: login attempt to http://"
          + registry.host() + "/v2/ failed with status: 401 Unauthorized\n");
      assertThat(config.resolve("config.json")).doesNotExist();

      Jocker.Result ok = jocker("login", "-u", USER, "-p", PASSWORD, registry.host());
      assertThat(ok.code()).as(ok.err()).isZero();
      assertThat(ok.out()).isEqualTo("Login Succeeded\n");
      assertThat(ok.err()).startsWith("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n")
          .contains("WARNING! Your password will be stored unencrypted in " + config.resolve("config.json") + ".");
      assertThat(storedAuth(registry.host())).isEqualTo(USER + ":" + PASSWORD);

      Jocker.Result out = jocker("logout", registry.host());
      assertThat(out.code()).isZero();
      assertThat(out.out()).isEqualTo("Removing login credentials for " + registry.host() + "\n");
      assertThat(JSON.readTree(Files.readAllBytes(config.resolve("config.json"))).path("auths").size()).isZero();
      assertThat(jocker("logout", registry.host()).out()).isEqualTo("Not logged in to " + registry.host() + "\n");
    }
  }

  @Test
  void loginWithATokenServiceAndDockersWordsForAWrongPassword() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    try (TokenIssuer issuer = TokenIssuer.start(USER, PASSWORD, pki, 300);
        RegistryServer registry = RegistryServer.start(issuer.registryConfig(), null)) {
      Jocker.Result wrong = jocker("login", "-u", USER, "-p", "wrong", registry.host());
      assertThat(wrong.code()).isEqualTo(1);
      assertThat(wrong.err()).endsWith("jocker: Error response from daemon: Get \"http://" + registry.host()
          + "/v2/\": unauthorized: incorrect username or password\n");
      Jocker.Result ok = jocker("login", "-u", USER, "-p", PASSWORD, registry.host());
      assertThat(ok.code()).as(ok.err()).isZero();
      assertThat(ok.out()).isEqualTo("Login Succeeded\n");
      assertThat(issuer.requests().getLast()).contains("account=" + USER).doesNotContain("scope=");
      assertThat(storedAuth(registry.host())).isEqualTo(USER + ":" + PASSWORD);
    }
  }

  @Test
  void passwordStdinAndTheCallersDockerConfig() throws Exception {
    try (RegistryServer registry = htpasswdRegistry()) {
      Path password = tmp.resolve("password");
      Files.writeString(password, PASSWORD + "\n");
      Path callersConfig = tmp.resolve("callers-docker");
      ProcessBuilder login = jocker.process("--config-file", tmp.resolve("etc/daemon.json").toString(),
          "login", "--username", USER, "--password-stdin", registry.host())
          .redirectInput(password.toFile()).redirectErrorStream(true);
      login.environment().put("DOCKER_CONFIG", callersConfig.toString());
      Process p = login.start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).endsWith("Login Succeeded\n").doesNotContain("--password via the CLI");
      config = callersConfig;
      assertThat(storedAuth(registry.host())).isEqualTo(USER + ":" + PASSWORD);
    }
  }

  @Test
  void withoutFlagsLoginAsksAtTheTerminalWithoutEchoingThePassword() throws Exception {
    try (RegistryServer registry = htpasswdRegistry();
        TestTerminal t = TestTerminal.start(24, 80, List.of(jocker.wrapper().toString(),
            "--config", config.toString(), "--config-file", tmp.resolve("etc/daemon.json").toString(),
            "login", registry.host()))) {
      Duration wait = Duration.ofSeconds(60);
      t.expect("Username: ", wait);
      t.type(USER + "\r");
      assertThat(t.expect("Password: ", wait)).contains(USER);
      t.type(PASSWORD + "\r");
      assertThat(t.expect("Login Succeeded", wait)).doesNotContain(PASSWORD);
      assertThat(t.waitFor(wait)).isZero();
      assertThat(storedAuth(registry.host())).isEqualTo(USER + ":" + PASSWORD);
    }
  }

  @Test
  void flagsAreCheckedAsDockerChecksThem() {
    Jocker.Result both = jocker("login", "-u", USER, "-p", "x", "--password-stdin", "127.0.0.1:1");
    assertThat(both.code()).isEqualTo(1);
    assertThat(both.err()).isEqualTo("jocker: --password and --password-stdin are mutually exclusive\n");
    Jocker.Result noUser = jocker("login", "--password-stdin", "127.0.0.1:1");
    assertThat(noUser.code()).isEqualTo(1);
    assertThat(noUser.err()).isEqualTo("jocker: Must provide --username with --password-stdin\n");
    Jocker.Result noTerminal = jocker("login", "127.0.0.1:1");
    assertThat(noTerminal.code()).isEqualTo(1);
    assertThat(noTerminal.err()).isEqualTo("jocker: Cannot perform an interactive login from a non TTY device\n");
    Jocker.Result hub = jocker("logout");
    assertThat(hub.out()).isEqualTo("Not logged in to https://index.docker.io/v1/\n");
  }
}
