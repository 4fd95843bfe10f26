package org.jocker.images.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RegistryServerTest {
  @Test
  void servesTheApiRootAndLeavesNothingBehind() throws Exception {
    assumeTrue(RegistryServer.installed(), "docker-registry is not installed");
    Path storage;
    try (RegistryServer registry = RegistryServer.start()) {
      storage = registry.storage();
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(registry.log()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
    }
    assertThat(storage.getParent()).doesNotExist();
  }
}
