package org.jocker.images.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jocker.images.registry.Endpoint;
import org.jocker.images.registry.Htpasswd;
import org.jocker.images.registry.RegistryException;
import org.jocker.images.registry.RegistryServer;
import org.jocker.images.registry.Scope;
import org.jocker.images.registry.TestImages;
import org.jocker.images.registry.TestPki;
import org.jocker.images.registry.TokenIssuer;
import org.jocker.images.registry.credentials.CredentialSource;
import org.jocker.images.registry.credentials.Credentials;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Authorizer against Debian's registry with htpasswd (Basic) and with a token service (Bearer). */
class RegistryAuthorizerTest {
  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret pass";
  private static final String REPOSITORY = "test/img";

  @TempDir Path tmp;

  @BeforeAll
  static void tools() {
    assumeTrue(RegistryServer.installed(), "docker-registry is not installed");
  }

  private static CredentialSource user(String password) {
    return registry -> Optional.of(new Credentials(USER, password));
  }

  private static Endpoint http(RegistryServer registry) {
    return new Endpoint(registry.host(), URI.create("http://" + registry.host()), null, false);
  }

  // --- Basic (htpasswd) -----------------------------------------------------------------------

  private RegistryServer htpasswdRegistry() throws Exception {
    return RegistryServer.start(Htpasswd.registryConfig(tmp, USER, PASSWORD), null);
  }

  /** The test image, pushed by skopeo with the user's credentials. */
  private void pushAsUser(RegistryServer registry) throws Exception {
    TestImages.push(tmp, registry.host(), REPOSITORY, "1", "--dest-tls-verify=false",
        "--dest-creds", USER + ":" + PASSWORD);
  }

  @Test
  void basicCredentialsReadAPushedManifest() throws Exception {
    try (RegistryServer registry = htpasswdRegistry()) {
      pushAsUser(registry);
      RegistryAuthorizer authorizer = new RegistryAuthorizer(user(PASSWORD));
      assertThat(ManifestRequests.get(http(registry), authorizer, REPOSITORY, "1")).as(registry.log()).isEqualTo(200);
      // once challenged, the next request carries Basic at once
      assertThat(authorizer.authorization(http(registry), Scope.pull(REPOSITORY)))
          .hasValueSatisfying(a -> assertThat(a).startsWith("Basic "));
    }
  }

  @Test
  void basicWithoutOrWithWrongCredentialsIsRefused() throws Exception {
    try (RegistryServer registry = htpasswdRegistry()) {
      pushAsUser(registry);
      assertThatThrownBy(() -> ManifestRequests.get(http(registry), new RegistryAuthorizer(CredentialSource.NONE),
          REPOSITORY, "1")).isInstanceOf(RegistryException.class).hasMessage("no basic auth credentials");
      assertThat(ManifestRequests.get(http(registry), new RegistryAuthorizer(user("wrong")), REPOSITORY, "1"))
          .isEqualTo(401);
    }
  }

  @Test
  void loginCheckAcceptsTheRightPasswordAndWordsAWrongOneAsDocker() throws Exception {
    try (RegistryServer registry = htpasswdRegistry()) {
      new LoginCheck().check(List.of(http(registry)), new Credentials(USER, PASSWORD));
      assertThatThrownBy(() -> new LoginCheck().check(List.of(http(registry)), new Credentials(USER, "wrong")))
          .isInstanceOf(RegistryException.class)
          .hasMessage("login attempt to http://" + registry.host() + "/v2/ failed with status: 401 Unauthorized");
    }
  }

  // --- Bearer (token service) -----------------------------------------------------------------

  @Test
  void tokensAreFetchedWithCredentialsAndCachedPerScope() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    try (TokenIssuer issuer = TokenIssuer.start(USER, PASSWORD, pki, 300);
        RegistryServer registry = RegistryServer.start(issuer.registryConfig(), null)) {
      pushAsUser(registry);
      int pushRequests = issuer.requests().size();
      RegistryAuthorizer authorizer = new RegistryAuthorizer(user(PASSWORD));
      assertThat(ManifestRequests.get(http(registry), authorizer, REPOSITORY, "1")).as(registry.log()).isEqualTo(200);
      assertThat(ManifestRequests.get(http(registry), authorizer, REPOSITORY, "1")).isEqualTo(200);
      List<String> ours = issuer.requests().subList(pushRequests, issuer.requests().size());
      assertThat(ours).as("one token for both requests").hasSize(1);
      assertThat(ours.getFirst()).contains("service=" + TokenIssuer.SERVICE)
          .contains("scope=repository%3Atest%2Fimg%3Apull").contains("account=" + USER);
      // another scope is another token
      assertThat(ManifestRequests.get(http(registry), authorizer, "test/other", "1")).isEqualTo(404);
      assertThat(issuer.requests()).hasSize(pushRequests + 2);
    }
  }

  @Test
  void anonymousTokensPullAndAWrongPasswordIsRefusedInDockersWords() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    try (TokenIssuer issuer = TokenIssuer.start(USER, PASSWORD, pki, 300);
        RegistryServer registry = RegistryServer.start(issuer.registryConfig(), null)) {
      pushAsUser(registry);
      assertThat(ManifestRequests.get(http(registry), new RegistryAuthorizer(CredentialSource.NONE), REPOSITORY, "1"))
          .isEqualTo(200);
      assertThat(issuer.requests().getLast()).doesNotContain("account=");
      assertThatThrownBy(() -> ManifestRequests.get(http(registry), new RegistryAuthorizer(user("wrong")), REPOSITORY, "1"))
          .isInstanceOf(RegistryException.class)
          .hasMessage("unauthorized: incorrect username or password");
      assertThatThrownBy(() -> new LoginCheck().check(List.of(http(registry)), new Credentials(USER, "wrong")))
          .hasMessage("Get \"http://" + registry.host() + "/v2/\": unauthorized: incorrect username or password");
      new LoginCheck().check(List.of(http(registry)), new Credentials(USER, PASSWORD));
    }
  }

  @Test
  void anExpiredTokenIsFetchedAgain() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    try (TokenIssuer issuer = TokenIssuer.start(USER, PASSWORD, pki, 300);
        RegistryServer registry = RegistryServer.start(issuer.registryConfig(), null)) {
      pushAsUser(registry);
      int before = issuer.requests().size();
      MovingClock clock = new MovingClock();
      RegistryAuthorizer authorizer = new RegistryAuthorizer(user(PASSWORD), clock);
      assertThat(ManifestRequests.get(http(registry), authorizer, REPOSITORY, "1")).isEqualTo(200);
      clock.advance(Duration.ofSeconds(299));
      assertThat(ManifestRequests.get(http(registry), authorizer, REPOSITORY, "1")).isEqualTo(200);
      assertThat(issuer.requests()).hasSize(before + 1);
      clock.advance(Duration.ofSeconds(2));
      assertThat(ManifestRequests.get(http(registry), authorizer, REPOSITORY, "1")).isEqualTo(200);
      assertThat(issuer.requests()).as("expired after expires_in").hasSize(before + 2);
    }
  }

  /** The system clock, moved forward by the test: a token's expiry without waiting for it. */
  private static final class MovingClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration by) {
      offset = offset.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }
  }
}
