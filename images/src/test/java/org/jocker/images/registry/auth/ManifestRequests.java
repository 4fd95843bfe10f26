package org.jocker.images.registry.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.jocker.images.registry.Authorizer;
import org.jocker.images.registry.Endpoint;
import org.jocker.images.registry.Scope;

/** What a registry client does with an Authorizer, in a few lines: GET a manifest, once more after a 401. */
final class ManifestRequests {
  private ManifestRequests() {}

  static int get(Endpoint endpoint, Authorizer authorizer, String repository, String tag) throws Exception {
    HttpClient client = endpoint.tls() == null ? HttpClient.newHttpClient()
        : HttpClient.newBuilder().sslContext(endpoint.tls()).build();
    URI uri = endpoint.base().resolve("/v2/" + repository + "/manifests/" + tag);
    Scope scope = Scope.pull(repository);
    HttpResponse<String> response = send(client, uri, authorizer.authorization(endpoint, scope));
    if (response.statusCode() == 401 && authorizer.challenged(endpoint, scope, response.headers())) {
      response = send(client, uri, authorizer.authorization(endpoint, scope));
    }
    return response.statusCode();
  }

  private static HttpResponse<String> send(HttpClient client, URI uri, Optional<String> authorization)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .header("Accept", "application/vnd.oci.image.manifest.v1+json");
    authorization.ifPresent(a -> request.header("Authorization", a));
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
