package org.jocker.images.registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.jocker.images.registry.Endpoint;
import org.jocker.images.registry.RegistryException;
import org.jocker.images.registry.RegistryServer;
import org.jocker.images.registry.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfiguredEndpointResolverTest {
  @TempDir Path tmp;

  private static int ping(Endpoint endpoint) throws Exception {
    HttpClient client = endpoint.tls() == null ? HttpClient.newHttpClient()
        : HttpClient.newBuilder().sslContext(endpoint.tls()).build();
    return client.send(HttpRequest.newBuilder(endpoint.base().resolve("/v2/")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  // --- TLS: certs.d, the system store, insecure -----------------------------------------------

  @Test
  void aRegistryWithATestCaIsTrustedThroughCertsDOnlyOrWhenInsecure() throws Exception {
    assumeTrue(RegistryServer.installed(), "docker-registry is not installed");
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    Path certsDir = tmp.resolve("certs.d");
    try (RegistryServer registry = RegistryServer.start("", pki.serverTls())) {
      // loopback made secure, as any other address is: the system's CAs do not know the test CA
      var verifying = new ConfiguredEndpointResolver(DaemonConfig.defaults(), certsDir, false);
      List<Endpoint> endpoints = verifying.endpoints(registry.host());
      assertThat(endpoints).extracting(Endpoint::base).containsExactly(URI.create("https://" + registry.host()));
      assertThatThrownBy(() -> ping(endpoints.getFirst())).isInstanceOf(SSLHandshakeException.class);

      Files.createDirectories(certsDir.resolve(registry.host()));
      Files.copy(pki.caCertificate(), certsDir.resolve(registry.host()).resolve("ca.crt"));
      var withCa = new ConfiguredEndpointResolver(DaemonConfig.defaults(), certsDir, false);
      assertThat(ping(withCa.endpoints(registry.host()).getFirst())).as(registry.log()).isEqualTo(200);

      // Docker's default: loopback is insecure, so its certificate is not checked, and http comes after https
      Files.delete(certsDir.resolve(registry.host()).resolve("ca.crt"));
      var dockerDefaults = new ConfiguredEndpointResolver(DaemonConfig.defaults(), certsDir);
      List<Endpoint> insecure = dockerDefaults.endpoints(registry.host());
      assertThat(insecure).extracting(Endpoint::base)
          .containsExactly(URI.create("https://" + registry.host()), URI.create("http://" + registry.host()));
      assertThat(ping(insecure.getFirst())).isEqualTo(200);
    }
  }

  @Test
  void aRegistryListedInsecureIsReachedOverPlainHttpAfterHttps() throws Exception {
    assumeTrue(RegistryServer.installed(), "docker-registry is not installed");
    try (RegistryServer registry = RegistryServer.start()) {
      var secure = new ConfiguredEndpointResolver(DaemonConfig.defaults(), tmp, false);
      assertThat(secure.endpoints(registry.host())).hasSize(1);
      var listed = new ConfiguredEndpointResolver(
          new DaemonConfig(List.of(), List.of(registry.host())), tmp, false);
      List<Endpoint> endpoints = listed.endpoints(registry.host());
      assertThat(endpoints).extracting(Endpoint::secure).containsExactly(true, false);
      assertThatThrownBy(() -> ping(endpoints.get(0))).isInstanceOf(IOException.class);
      assertThat(ping(endpoints.get(1))).isEqualTo(200);
    }
  }

  @Test
  void aClientCertificateNeedsItsKey() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("certs.d/registry.example:5000"));
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    Files.copy(pki.serverCertificate(), dir.resolve("client.cert"));
    var resolver = new ConfiguredEndpointResolver(DaemonConfig.defaults(), tmp.resolve("certs.d"));
    assertThatThrownBy(() -> resolver.endpoints("registry.example:5000"))
        .isInstanceOf(RegistryException.class).hasMessage("missing key client.key for client certificate client.cert");
    Files.copy(pki.serverKey(), dir.resolve("client.key"));
    var withKey = new ConfiguredEndpointResolver(DaemonConfig.defaults(), tmp.resolve("certs.d"));
    assertThat(withKey.endpoints("registry.example:5000")).hasSize(1);
  }

  // --- mirrors, insecure names and networks, the file ---------------------------------------

  @Test
  void mirrorsComeFirstForDockerHubOnly() {
    var resolver = new ConfiguredEndpointResolver(
        new DaemonConfig(List.of("https://mirror.example/", "http://10.0.0.5:5000"), List.of()), tmp);
    assertThat(resolver.endpoints("docker.io")).extracting(Endpoint::base, Endpoint::mirror).containsExactly(
        org.assertj.core.groups.Tuple.tuple(URI.create("https://mirror.example"), true),
        org.assertj.core.groups.Tuple.tuple(URI.create("http://10.0.0.5:5000"), true),
        org.assertj.core.groups.Tuple.tuple(URI.create("https://registry-1.docker.io"), false));
    assertThat(resolver.endpoints("docker.io")).extracting(Endpoint::registry).containsOnly("docker.io");
    assertThat(resolver.endpoints("quay.example")).extracting(Endpoint::base)
        .containsExactly(URI.create("https://quay.example"));
    assertThatThrownBy(() -> new ConfiguredEndpointResolver(
        new DaemonConfig(List.of("mirror.example"), List.of()), tmp))
        .isInstanceOf(RegistryException.class).hasMessageContaining("invalid mirror");
  }

  @Test
  void insecureRegistriesByNameAndNetworkWithLoopbackAlways() {
    // names only: no DNS lookup is made (the test's traffic stays on loopback)
    var byName = InsecureRegistries.of(List.of("myregistry.example:5000", "http://other.example"));
    assertThat(byName.covers("myregistry.example:5000")).isTrue();
    assertThat(byName.covers("myregistry.example")).isFalse();
    assertThat(byName.covers("other.example")).isTrue();
    // networks: asked with address literals only, which need no lookup either
    var insecure = InsecureRegistries.of(List.of("10.0.0.0/8", "fd00::/8"));
    assertThat(insecure.covers("10.1.2.3:5000")).isTrue();
    assertThat(insecure.covers("11.1.2.3")).isFalse();
    assertThat(insecure.covers("[fd00::1]:5000")).isTrue();
    assertThat(insecure.covers("127.0.0.1:5000")).isTrue();
    assertThat(insecure.covers("127.9.9.9")).isTrue();
    assertThat(insecure.covers("[::1]:5000")).isTrue();
    assertThat(insecure.covers("localhost:5000")).isTrue();
    assertThat(InsecureRegistries.of(List.of()).covers("192.168.1.1:5000")).isFalse();
  }

  @Test
  void theConfigFileIsReadAsDaemonJsonAndAMissingOneIsTheDefaults() throws Exception {
    Path file = tmp.resolve("daemon.json");
    assertThat(DaemonConfig.load(file)).isEqualTo(DaemonConfig.defaults());
    Files.writeString(file, "{\"registry-mirrors\":[\"https://m.example\"],\"insecure-registries\":[\"r.example:5000\"],"
        + "\"log-level\":\"debug\"}");
    assertThat(DaemonConfig.load(file))
        .isEqualTo(new DaemonConfig(List.of("https://m.example"), List.of("r.example:5000")));
    Files.writeString(file, "{\"registry-mirrors\": [");
    assertThatThrownBy(() -> DaemonConfig.load(file)).isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("unable to configure the engine with file " + file + ": ");
  }
}
