package org.jocker.images.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import org.jocker.images.digest.Digest;
import org.jocker.images.digest.DigestAlgorithm;
import org.jocker.images.digest.Digester;
import org.jocker.images.manifest.MediaTypes;

/**
 * The distribution API's read side ({@code /v2/<name>/manifests}, {@code /blobs}, {@code
 * /tags/list}) over java.net.http, for pulls. Each call tries the registry's endpoints in order
 * (mirrors first) and moves on when one cannot be reached or a mirror lacks the content. A request
 * carries what the {@link Authorizer} gives, and after a 401 is sent once more if the authorizer
 * got something new. Redirects (blob storage elsewhere) are followed here, so the Authorization
 * header never goes to another host. No answer, 5xx and 429 are tried again per {@link Backoff}.
 * The write side, {@link RegistryWriter}, sends its requests through the same exchange.
 */
public final class RegistryClient {
  /** Larger manifests are refused: a registry cannot make us hold unbounded JSON. */
  public static final int MAX_MANIFEST_BYTES = 4 << 20;

  static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.OCI_INDEX,
      MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);
  private static final int MAX_REDIRECTS = 10;
  private static final int MAX_ERROR_BODY = 64 << 10;
  /**
   * How long an answer's headers may take; not retried, so a registry that accepts connections
   * but never answers fails a pull after this long. {@value #TIMEOUT_PROPERTY} (milliseconds)
   * shortens it and {@link #STALL} (tests of silent registries).
   */
  private static final Duration HEADERS_TIMEOUT = configured(Duration.ofMinutes(2));
  /** A body that sends nothing for this long is a failed transfer (resumed, for blobs). */
  private static final Duration STALL = configured(Duration.ofSeconds(60));
  static final String TIMEOUT_PROPERTY = "jocker.registry.timeout";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClients CLIENTS = new HttpClients();

  private final EndpointResolver resolver;
  private final Authorizer authorizer;
  private final Backoff backoff;
  /**
   * Per registry, the endpoint that last answered, tried first from then on: otherwise every
   * request of a pull from an insecure registry that speaks plain http would wait for https to
   * fail first (up to the timeout, from a server that never completes a TLS handshake).
   */
  private final Map<String, URI> answering = new ConcurrentHashMap<>();

  public RegistryClient(EndpointResolver resolver, Authorizer authorizer) {
    this(resolver, authorizer, Backoff.DEFAULT);
  }

  public RegistryClient(EndpointResolver resolver, Authorizer authorizer, Backoff backoff) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /**
   * The manifest or index {@code reference} (a tag or a digest) names in {@code repository}
   * ({@code library/busybox}) of {@code registry}. By digest, its bytes must have that digest; by
   * tag, the digest the registry states (Docker-Content-Digest) must be theirs.
   */
  public FetchedManifest manifest(String registry, String repository, String reference) {
    return onSomeEndpoint(registry, endpoint -> {
      URI uri = api(endpoint, repository, "manifests/" + reference);
      Answer response = exchange(endpoint, Scope.pull(repository), "GET", uri,
          Map.of("Accept", MANIFEST_ACCEPT));
      byte[] bytes = readCapped(response, uri);
      String mediaType = response.headers().firstValue("Content-Type").map(RegistryClient::withoutParameters)
          .orElse(null);
      Digest digest = verify(bytes, reference, response.headers().firstValue("Docker-Content-Digest"), uri);
      return new FetchedManifest(bytes, mediaType, digest);
    });
  }

  /** What {@code reference} currently names, by a HEAD; empty when the registry does not say. */
  public Optional<Digest> manifestDigest(String registry, String repository, String reference) {
    return onSomeEndpoint(registry, endpoint -> {
      URI uri = api(endpoint, repository, "manifests/" + reference);
      Answer response = exchange(endpoint, Scope.pull(repository), "HEAD", uri,
          Map.of("Accept", MANIFEST_ACCEPT));
      response.body().close();
      return response.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse);
    });
  }

  /**
   * The blob's bytes, resuming with a Range request where a transfer breaks off. The stream
   * does not verify the digest: the content store does as it commits.
   */
  public InputStream blob(String registry, String repository, Digest digest) {
    return blob(registry, repository, digest, 0);
  }

  /** The blob's bytes from {@code offset} on (the rest of an earlier, interrupted download). */
  public InputStream blob(String registry, String repository, Digest digest, long offset) {
    return onSomeEndpoint(registry, endpoint -> new ResumingBlobStream(openBlob(endpoint, repository, digest, offset),
        from -> openBlob(endpoint, repository, digest, from), backoff));
  }

  /** Every tag of the repository ({@code /tags/list}, following its pages). */
  public List<String> tags(String registry, String repository) {
    return onSomeEndpoint(registry, endpoint -> {
      List<String> tags = new ArrayList<>();
      URI uri = api(endpoint, repository, "tags/list");
      for (int page = 0; uri != null && page < 1000; page++) {
        Answer response = exchange(endpoint, Scope.pull(repository), "GET", uri, Map.of());
        byte[] body = readCapped(response, uri);
        JsonNode list = JSON.readTree(body).path("tags");
        list.forEach(t -> tags.add(t.asText()));
        uri = nextPage(endpoint, response);
      }
      return tags;
    });
  }

  BlobResponse openBlob(Endpoint endpoint, String repository, Digest digest, long offset) {
    URI uri = api(endpoint, repository, "blobs/" + digest);
    Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
    Answer response = exchange(endpoint, Scope.pull(repository), "GET", uri, headers);
    long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    InputStream body = response.body();
    try {
      if (offset > 0 && response.statusCode() == 200) {
        body.skipNBytes(offset); // the registry ignored the range: skip what we have
        length = length < 0 ? -1 : length - offset;
      }
    } catch (IOException e) {
      closeQuietly(body);
      throw RegistryErrors.ofTransport("GET", uri, e);
    }
    return new BlobResponse(body, offset, length);
  }

  /** An answer's status and headers, and its body guarded against stalls. */
  record Answer(int statusCode, HttpHeaders headers, InputStream body) {
    static Answer of(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response, Duration stall) {
      StallGuardedBody body = new StallGuardedBody(stall);
      response.body().subscribe(body);
      return new Answer(response.statusCode(), response.headers(), body);
    }
  }

  /** A call that works on one endpoint, tried on each until one answers it. */
  interface OnEndpoint<T> {
    T apply(Endpoint endpoint) throws IOException;
  }

  private <T> T onSomeEndpoint(String registry, OnEndpoint<T> call) {
    return onSomeEndpoint(resolver.endpoints(registry), registry, call);
  }

  /** As above, on the registry's own endpoints only: a push never goes to a mirror. */
  <T> T onRegistryEndpoint(String registry, OnEndpoint<T> call) {
    return onSomeEndpoint(resolver.endpoints(registry).stream().filter(e -> !e.mirror()).toList(), registry, call);
  }

  private <T> T onSomeEndpoint(List<Endpoint> resolved, String registry, OnEndpoint<T> call) {
    List<Endpoint> endpoints = answeringFirst(registry, resolved);
    RegistryException last = null;
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint endpoint = endpoints.get(i);
      boolean more = i < endpoints.size() - 1;
      try {
        T result = call.apply(endpoint);
        answering.put(registry, endpoint.base());
        return result;
      } catch (RegistryException e) {
        last = e;
        // Another endpoint may serve what this one cannot reach or (a mirror) does not have; but
        // not the registry's plain http after its https port answered in TLS, refusing us (no
        // client certificate): that port speaks only TLS, and its alert says why.
        boolean unreachable = e.status() == 0 && (endpoint.mirror() || !RegistryErrors.refusedByTlsServer(e));
        if (!more || !(unreachable || endpoint.mirror() && e.status() == 404)) {
          throw e;
        }
      } catch (IOException e) {
        last = new RegistryException("reading from " + endpoint.base() + ": " + e.getMessage(), e);
        if (!more) {
          throw last;
        }
      }
    }
    throw Objects.requireNonNull(last, "no endpoints for " + registry);
  }

  private List<Endpoint> answeringFirst(String registry, List<Endpoint> endpoints) {
    URI answered = answering.get(registry);
    if (answered == null) {
      return endpoints;
    }
    List<Endpoint> ordered = new ArrayList<>(endpoints.size());
    endpoints.stream().filter(e -> e.base().equals(answered)).forEach(ordered::add);
    endpoints.stream().filter(e -> !e.base().equals(answered)).forEach(ordered::add);
    return ordered;
  }

  /**
   * Sends the request, authorizing, retrying and following redirects, and returns a 2xx answer
   * with its body unread; any other answer is thrown as the registry's error.
   */
  private Answer exchange(Endpoint endpoint, Scope scope, String method, URI uri,
      Map<String, String> headers) {
    return exchange(endpoint, scope, method, uri, headers, HttpRequest.BodyPublishers::noBody);
  }

  /**
   * As above, with a request body (the {@link RegistryWriter}'s uploads); {@code requestBody}
   * gives a fresh publisher for each attempt, since a 401 or a transient failure sends the
   * request again.
   */
  Answer exchange(Endpoint endpoint, Scope scope, String method, URI uri, Map<String, String> headers,
      Supplier<HttpRequest.BodyPublisher> requestBody) {
    HttpClient client = CLIENTS.forEndpoint(endpoint);
    boolean challenged = false;
    int failures = 0;
    int redirects = 0;
    URI target = uri;
    while (true) {
      HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(HEADERS_TIMEOUT)
          .method(method, requestBody.get());
      headers.forEach(request::header);
      boolean toRegistry = sameOrigin(target, endpoint.base());
      if (toRegistry) {
        authorizer.authorization(endpoint, scope).ifPresent(value -> request.header("Authorization", value));
      }
      Answer response;
      try {
        response = Answer.of(client.send(request.build(), HttpResponse.BodyHandlers.ofPublisher()), STALL);
      } catch (IOException e) {
        // A certificate that is not trusted stays untrusted, and a registry silent for the whole
        // timeout will not answer the next request sooner: no retry for either.
        // (A TLS handshake the server never answers is an HttpConnectTimeoutException.)
        if (!(e instanceof javax.net.ssl.SSLException) && !(e instanceof HttpTimeoutException)
            && ++failures < backoff.attempts()) {
          backoff.pause(failures);
          continue;
        }
        throw RegistryErrors.ofTransport(method, target, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException("interrupted", e);
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return response;
      }
      Optional<String> location = response.headers().firstValue("Location");
      if (status >= 300 && status < 400 && location.isPresent() && redirects++ < MAX_REDIRECTS) {
        closeQuietly(response.body());
        target = target.resolve(location.get());
        continue;
      }
      byte[] body = errorBody(response);
      if (status == 401 && toRegistry && !challenged) {
        challenged = true;
        if (authorizer.challenged(endpoint, scope, response.headers())) {
          continue;
        }
      }
      if (RegistryErrors.isTransient(status) && ++failures < backoff.attempts()) {
        backoff.pause(failures);
        continue;
      }
      throw RegistryErrors.ofResponse(status, body);
    }
  }

  private static Duration configured(Duration usual) {
    String millis = System.getProperty(TIMEOUT_PROPERTY);
    return millis == null ? usual : Duration.ofMillis(Long.parseLong(millis));
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  static URI api(Endpoint endpoint, String repository, String rest) {
    String base = endpoint.base().toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
        + "/v2/" + repository + "/" + rest);
  }

  /** The next page of a paginated list, from its Link header ({@code <url>; rel="next"}). */
  private static URI nextPage(Endpoint endpoint, Answer response) {
    Optional<String> link = response.headers().firstValue("Link");
    if (link.isEmpty() || !link.get().contains("rel=\"next\"")) {
      return null;
    }
    String value = link.get();
    int open = value.indexOf('<');
    int close = value.indexOf('>', open + 1);
    return open < 0 || close < 0 ? null : endpoint.base().resolve(value.substring(open + 1, close));
  }

  /** A manifest's (or a tag list's) body, refused beyond {@link #MAX_MANIFEST_BYTES}. */
  private static byte[] readCapped(Answer response, URI uri) {
    long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    try (InputStream in = response.body()) {
      if (declared > MAX_MANIFEST_BYTES) {
        throw tooBig(uri);
      }
      byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
      if (bytes.length > MAX_MANIFEST_BYTES) {
        throw tooBig(uri);
      }
      return bytes;
    } catch (IOException e) {
      throw RegistryErrors.ofTransport("GET", uri, e);
    }
  }

  private static RegistryException tooBig(URI uri) {
    return new RegistryException("manifest at " + uri + " is larger than the limit of "
        + MAX_MANIFEST_BYTES / (1 << 20) + " MiB", null, 0);
  }

  private static Digest verify(byte[] bytes, String reference, Optional<String> stated, URI uri) {
    if (Digest.isDigest(reference)) {
      Digest asked = Digest.parse(reference);
      Digest actual = digestOf(asked.algorithm(), bytes);
      if (!actual.equals(asked)) {
        throw new RegistryException("manifest verification failed for digest " + asked, null, 0);
      }
      return asked;
    }
    Digest actual = Digest.sha256(bytes);
    if (stated.isPresent() && Digest.isDigest(stated.get())) {
      Digest claimed = Digest.parse(stated.get());
      if (!digestOf(claimed.algorithm(), bytes).equals(claimed)) {
        throw new RegistryException("manifest verification failed for digest " + claimed
            + " (served at " + uri + ")", null, 0);
      }
    }
    return actual;
  }

  private static Digest digestOf(DigestAlgorithm algorithm, byte[] bytes) {
    Digester digester = new Digester(algorithm);
    digester.update(bytes, 0, bytes.length);
    return digester.digest();
  }

  private static String withoutParameters(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }

  private static byte[] errorBody(Answer response) {
    try (InputStream in = response.body()) {
      return in.readNBytes(MAX_ERROR_BODY);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing more to read from it
    }
  }
}
