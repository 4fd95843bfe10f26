package org.jocker.images.registry;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.jocker.images.digest.Digest;

/**
 * The distribution API's write side, for pushes: whether a blob is there (HEAD), blob uploads
 * (opened by a POST, fed by PATCHes with {@code Content-Range}, closed by a PUT with the digest,
 * each following the {@code Location} the registry gave last), cross-repository mounts and
 * manifest PUTs. Requests go through the {@link RegistryClient}'s exchange (authorization with
 * the {@code pull,push} scope, the 401 retry, backoff, Docker-worded errors) and only to the
 * registry's own endpoints, never to mirrors.
 */
public final class RegistryWriter {
  private static final String OCTETS = "application/octet-stream";

  private final RegistryClient client;

  public RegistryWriter(RegistryClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** Whether {@code repository} has the blob (a 404 to HEAD says it has not). */
  public boolean blobExists(String registry, String repository, Digest digest) {
    return client.onRegistryEndpoint(registry, endpoint -> {
      URI uri = RegistryClient.api(endpoint, repository, "blobs/" + digest);
      try {
        RegistryClient.closeQuietly(client.exchange(endpoint, Scope.push(repository), "HEAD", uri, Map.of(),
            HttpRequest.BodyPublishers::noBody).body());
        return true;
      } catch (RegistryException e) {
        if (e.status() == 404) {
          return false;
        }
        throw e;
      }
    });
  }

  /** Opens an upload to {@code repository}. */
  public UploadSession startUpload(String registry, String repository) {
    return client.onRegistryEndpoint(registry, endpoint -> {
      Scope scope = Scope.push(repository);
      URI uri = RegistryClient.api(endpoint, repository, "blobs/uploads/");
      return opened(endpoint, repository, scope, uri, send(endpoint, scope, "POST", uri));
    });
  }

  /**
   * Asks the registry to mount {@code digest} from {@code source} (a repository of the same
   * registry) into {@code repository}: empty when it did (201), else the upload session it opened
   * instead (202), for the blob to be uploaded after all.
   */
  public Optional<UploadSession> mount(String registry, String repository, Digest digest, String source) {
    return client.onRegistryEndpoint(registry, endpoint -> {
      Scope scope = Scope.mount(repository, source);
      URI uri = RegistryClient.api(endpoint, repository, "blobs/uploads/?mount=" + encode(digest.toString())
          + "&from=" + encode(source));
      RegistryClient.Answer answer = send(endpoint, scope, "POST", uri);
      if (answer.statusCode() == 201) {
        RegistryClient.closeQuietly(answer.body());
        return Optional.empty();
      }
      return Optional.of(opened(endpoint, repository, Scope.push(repository), uri, answer));
    });
  }

  /** Sends {@code length} bytes of {@code file} from {@code offset} as the session's next chunk. */
  public UploadSession uploadChunk(UploadSession session, Path file, long offset, long length, LongConsumer sent) {
    FileSlice slice = new FileSlice(file, offset, length, sent);
    Map<String, String> headers = Map.of("Content-Type", OCTETS,
        "Content-Range", session.offset() + "-" + (session.offset() + length - 1));
    RegistryClient.Answer answer = client.exchange(session.endpoint(), session.scope(), "PATCH",
        session.location(), headers, slice::publisher);
    RegistryClient.closeQuietly(answer.body());
    return session.movedTo(nextLocation(session.location(), answer), session.offset() + length);
  }

  /**
   * Where the upload stands (a GET of its Location): how many bytes the registry holds, from its
   * {@code Range: 0-<last>} header, and the Location to go on with. After a chunk broke off, the
   * registry may hold part of it, so the next chunk starts where it says.
   */
  public UploadSession uploadStatus(UploadSession session) {
    RegistryClient.Answer answer = client.exchange(session.endpoint(), session.scope(), "GET", session.location(),
        Map.of(), HttpRequest.BodyPublishers::noBody);
    RegistryClient.closeQuietly(answer.body());
    long held = answer.headers().firstValue("Range").map(RegistryWriter::heldBytes).orElse(0L);
    return session.movedTo(answer.headers().firstValue("Location").isPresent()
        ? nextLocation(session.location(), answer) : session.location(), held);
  }

  /**
   * Closes the upload with a PUT naming the blob's digest, carrying {@code length} bytes of
   * {@code file} from {@code offset} (zero when every byte went in chunks already).
   */
  public void finishUpload(UploadSession session, Digest digest, Path file, long offset, long length,
      LongConsumer sent) {
    URI uri = withQuery(session.location(), "digest=" + encode(digest.toString()));
    RegistryClient.Answer answer;
    if (length == 0) {
      answer = client.exchange(session.endpoint(), session.scope(), "PUT", uri, Map.of(),
          HttpRequest.BodyPublishers::noBody);
    } else {
      FileSlice slice = new FileSlice(file, offset, length, sent);
      answer = client.exchange(session.endpoint(), session.scope(), "PUT", uri,
          Map.of("Content-Type", OCTETS), slice::publisher);
    }
    RegistryClient.closeQuietly(answer.body());
  }

  /** PUTs a manifest under {@code reference} (a tag); returns the digest the registry states. */
  public Optional<Digest> putManifest(String registry, String repository, String reference, byte[] bytes,
      String mediaType) {
    return client.onRegistryEndpoint(registry, endpoint -> {
      URI uri = RegistryClient.api(endpoint, repository, "manifests/" + reference);
      RegistryClient.Answer answer = client.exchange(endpoint, Scope.push(repository), "PUT", uri,
          Map.of("Content-Type", mediaType), () -> HttpRequest.BodyPublishers.ofByteArray(bytes));
      RegistryClient.closeQuietly(answer.body());
      return answer.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse);
    });
  }

  private RegistryClient.Answer send(Endpoint endpoint, Scope scope, String method, URI uri) {
    return client.exchange(endpoint, scope, method, uri, Map.of(), HttpRequest.BodyPublishers::noBody);
  }

  private static UploadSession opened(Endpoint endpoint, String repository, Scope scope, URI request,
      RegistryClient.Answer answer) {
    RegistryClient.closeQuietly(answer.body());
    return new UploadSession(endpoint, repository, scope, nextLocation(request, answer), 0);
  }

  /** The upload's next URL: its Location header, which may be relative (the spec allows both). */
  private static URI nextLocation(URI request, RegistryClient.Answer answer) {
    String location = answer.headers().firstValue("Location").orElseThrow(() -> new RegistryException(
        "registry answered " + request + " without a Location for the upload", null, answer.statusCode()));
    return request.resolve(location);
  }

  /** {@code 0-<last>} as bytes held; distribution says {@code 0-0} for none too. */
  private static long heldBytes(String range) {
    int dash = range.indexOf('-');
    try {
      long last = Long.parseLong(range.substring(dash + 1).trim());
      return last <= 0 ? 0 : last + 1;
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return 0;
    }
  }

  private static URI withQuery(URI uri, String parameter) {
    String text = uri.toString();
    return URI.create(text + (uri.getRawQuery() == null ? "?" : "&") + parameter);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
