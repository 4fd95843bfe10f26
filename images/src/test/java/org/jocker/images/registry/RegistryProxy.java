package org.jocker.images.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A faulty way to a real registry, on 127.0.0.1 (the JDK's HTTP server, behind a
 * {@link TlsRefusingFront}, in front; the JDK's client behind): it forwards requests and answers, and on demand fails some with a status, cuts blob
 * transfers short, answers 401 until a request is authorized, or redirects blob requests to
 * another address. It records each request it gets ("GET /v2/... auth=<Authorization or ->"),
 * passes request bodies on (pushes) and rewrites upload Locations to come back through it.
 */
public final class RegistryProxy implements AutoCloseable {
  private static final List<String> REQUEST_HEADERS = List.of("Accept", "Range", "Content-Type", "Content-Range");
  private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Docker-Content-Digest",
      "Content-Range", "Accept-Ranges", "Link", "Location");

  private final HttpServer server;
  private final TlsRefusingFront front;
  private final URI upstream;
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger failures = new AtomicInteger();
  private volatile int failureStatus;
  private volatile String failureMethod;
  private volatile byte[] failureBody;
  private final AtomicLong cutBlobsAfter = new AtomicLong(-1);
  private final AtomicLong cutNextUploadAfter = new AtomicLong(-1);
  private volatile String cutUploadMethod = "PATCH";
  private final AtomicLong cutBlobsAt = new AtomicLong(-1);
  private volatile String requiredAuthorization;
  private volatile URI redirectBlobsTo;
  private volatile byte[] manifestOverride;
  private volatile long blobDelayMillis;
  private volatile long blobChunkPauseMillis;
  private volatile long uploadChunkPauseMillis;
  private final AtomicLong blobBytesServed = new AtomicLong();
  private final AtomicLong uploadBytesReceived = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();

  private RegistryProxy(HttpServer server, TlsRefusingFront front, URI upstream) {
    this.server = server;
    this.front = front;
    this.upstream = upstream;
  }

  /** A proxy in front of {@code upstream} (e.g. {@code http://127.0.0.1:5000}). */
  public static RegistryProxy start(URI upstream) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    RegistryProxy proxy = new RegistryProxy(server, TlsRefusingFront.start(server.getAddress()), upstream);
    server.createContext("/", proxy::handle);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "registry-proxy");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return proxy;
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + front.port();
  }

  /** Answers the next {@code count} requests with {@code status} and no body. */
  public void failNext(int count, int status) {
    failNext(count, status, null);
  }

  /** Answers the next {@code count} requests of {@code method} (null: any) with {@code status}. */
  public void failNext(int count, int status, String method) {
    failNext(count, status, method, null);
  }

  /**
   * As above, with this JSON body (a registry's error document, e.g. {@code
   * {"errors":[{"code":"DENIED",...}]}}; null: none).
   */
  public void failNext(int count, int status, String method, String jsonBody) {
    failureBody = jsonBody == null ? null : jsonBody.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    failureMethod = method;
    failureStatus = status;
    failures.set(count);
  }

  /** Ends every blob answer's connection after {@code bytes} of its body (-1: never). */
  public void cutBlobsAfter(long bytes) {
    cutBlobsAfter.set(bytes);
  }

  /**
   * Breaks off the next upload PATCH: only its first {@code bytes} reach the registry, and the
   * client's connection is closed without an answer, as a network failure mid-chunk would.
   */
  public void cutNextUploadAfter(long bytes) {
    cutNextUploadAfter(bytes, "PATCH");
  }

  /** As above, for the next upload request of {@code method} (PATCH, or PUT: a monolithic upload). */
  public void cutNextUploadAfter(long bytes, String method) {
    cutUploadMethod = method;
    cutNextUploadAfter.set(bytes);
  }

  /**
   * Ends every blob answer's connection where it reaches byte {@code offset} of the blob (-1:
   * never): a resumed request from there on gets no byte, so a pull stops there however often
   * it tries.
   */
  public void cutBlobsAt(long offset) {
    cutBlobsAt.set(offset);
  }

  /** Answers 401 (with a Bearer challenge) to requests without this Authorization value. */
  public void requireAuthorization(String value) {
    requiredAuthorization = value;
  }

  /** Answers blob requests with a 307 to the same path at {@code base}. */
  public void redirectBlobsTo(URI base) {
    redirectBlobsTo = base;
  }

  /** Holds each blob answer back this long (so that concurrent requests overlap). */
  public void delayBlobs(long millis) {
    blobDelayMillis = millis;
  }

  /** Pauses this long after each 8 KiB of a blob answer (a slow link, so that a transfer takes a while). */
  public void slowBlobs(long millisPerChunk) {
    blobChunkPauseMillis = millisPerChunk;
  }

  /**
   * Pauses this long after each 8 KiB of an upload's body it reads (a slow link up, so that a push
   * takes a while).
   */
  public void slowUploads(long millisPerChunk) {
    uploadChunkPauseMillis = millisPerChunk;
  }

  /**
   * Lifts {@link #slowBlobs} and {@link #slowUploads} until the returned handle is closed, which
   * sets them back as they were: a transfer at full speed amid slowed ones.
   */
  public FullSpeed atFullSpeed() {
    long blobPause = blobChunkPauseMillis;
    long uploadPause = uploadChunkPauseMillis;
    blobChunkPauseMillis = 0;
    uploadChunkPauseMillis = 0;
    return () -> {
      blobChunkPauseMillis = blobPause;
      uploadChunkPauseMillis = uploadPause;
    };
  }

  /** The slowdowns lifted by {@link #atFullSpeed}; closing it sets them back. */
  public interface FullSpeed extends AutoCloseable {
    @Override
    void close();
  }

  /** How many bytes of blob answers' bodies it has sent on so far. */
  public long blobBytesServed() {
    return blobBytesServed.get();
  }

  /**
   * Waits until no request is being handled: a request whose client has gone may still be passed
   * on, with the bytes it had sent before (an upload completes at the registry after its pusher
   * was killed, as it would over a real network).
   */
  public void awaitIdle(Duration timeout) throws InterruptedException {
    await(() -> inFlight.get() == 0, timeout, "requests still in flight");
  }

  /** Waits until it has sent on at least {@code bytes} of blob answers (a pull is under way). */
  public void awaitBlobBytesServed(long bytes, Duration timeout) throws InterruptedException {
    await(() -> blobBytesServed.get() >= bytes, timeout, "blob bytes served: " + blobBytesServed.get());
  }

  /** Waits until it has read at least {@code bytes} of slowed uploads (a push is under way). */
  public void awaitUploadBytesReceived(long bytes, Duration timeout) throws InterruptedException {
    await(() -> uploadBytesReceived.get() >= bytes, timeout, "upload bytes received: " + uploadBytesReceived.get());
  }

  private static void await(BooleanSupplier done, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("after " + timeout + ": " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Answers manifest GETs with these bytes instead of the registry's (null: the registry's). */
  public void serveManifests(byte[] bytes) {
    manifestOverride = bytes == null ? null : bytes.clone();
  }

  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    inFlight.incrementAndGet();
    try (exchange) {
      String path = exchange.getRequestURI().toString();
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      String range = exchange.getRequestHeaders().getFirst("Range");
      String contentRange = exchange.getRequestHeaders().getFirst("Content-Range");
      requests.add(exchange.getRequestMethod() + " " + path + " auth=" + (auth == null ? "-" : auth)
          + (range == null ? "" : " range=" + range)
          + (contentRange == null ? "" : " content-range=" + contentRange));
      String failing = failureMethod;
      if ((failing == null || failing.equals(exchange.getRequestMethod()))
          && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        byte[] body = failureBody;
        if (body == null) {
          exchange.sendResponseHeaders(failureStatus, -1);
        } else {
          exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
          exchange.sendResponseHeaders(failureStatus, body.length);
          exchange.getResponseBody().write(body);
        }
        return;
      }
      if (requiredAuthorization != null && !requiredAuthorization.equals(auth)) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + host() + "/token\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      byte[] override = manifestOverride;
      if (override != null && path.contains("/manifests/")) {
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
        exchange.sendResponseHeaders(200, override.length);
        exchange.getResponseBody().write(override);
        return;
      }
      long cutUpload = exchange.getRequestMethod().equals(cutUploadMethod) && path.contains("/blobs/uploads/")
          ? cutNextUploadAfter.getAndSet(-1) : -1;
      if (cutUpload >= 0) {
        forwardPartOfUpload(exchange, path, cutUpload);
        throw new CutOnPurpose(cutUpload);
      }
      boolean blob = path.contains("/blobs/");
      if (blob && redirectBlobsTo != null) {
        exchange.getResponseHeaders().add("Location", redirectBlobsTo.resolve(path).toString());
        exchange.sendResponseHeaders(307, -1);
        return;
      }
      if (blob && blobDelayMillis > 0) {
        Thread.sleep(blobDelayMillis);
      }
      forward(exchange, path, blob);
    } catch (CutOnPurpose e) {
      throw e; // out of the handler: the server closes the connection mid-body
    } catch (IOException | InterruptedException e) {
      // the client went away
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void forward(HttpExchange exchange, String path, boolean blob) throws IOException, InterruptedException {
    byte[] body = requestBody(exchange, path); // an upload's chunk, a manifest PUT
    HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(path))
        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    for (String name : REQUEST_HEADERS) {
      String value = exchange.getRequestHeaders().getFirst(name);
      if (value != null) {
        request.header(name, value);
      }
    }
    HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    for (String name : RESPONSE_HEADERS) {
      response.headers().firstValue(name).map(this::throughProxy)
          .ifPresent(v -> exchange.getResponseHeaders().add(name, v));
    }
    long length = response.headers().firstValueAsLong("Content-Length").orElse(0);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    if (head) {
      exchange.getResponseHeaders().add("Content-Length", Long.toString(length));
    }
    exchange.sendResponseHeaders(response.statusCode(), head || length == 0 ? -1 : length);
    try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
      long cut = blob ? cutFor(exchange.getRequestHeaders().getFirst("Range")) : -1;
      byte[] buffer = new byte[8192];
      long sent = 0;
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (cut >= 0 && sent + n > cut) {
          out.write(buffer, 0, (int) (cut - sent));
          out.flush();
          throw new CutOnPurpose(cut);
        }
        out.write(buffer, 0, n);
        sent += n;
        if (blob) {
          blobBytesServed.addAndGet(n);
        }
        if (blob && blobChunkPauseMillis > 0) {
          Thread.sleep(blobChunkPauseMillis);
        }
      }
    }
  }

  /** The request's body, read slowly if it is an upload's and uploads are slowed. */
  private byte[] requestBody(HttpExchange exchange, String path) throws IOException, InterruptedException {
    long pause = uploadChunkPauseMillis;
    if (pause <= 0 || !path.contains("/blobs/uploads/")) {
      return exchange.getRequestBody().readAllBytes();
    }
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    InputStream in = exchange.getRequestBody();
    byte[] buffer = new byte[8192];
    for (int n; (n = in.readNBytes(buffer, 0, buffer.length)) > 0; ) {
      body.write(buffer, 0, n);
      uploadBytesReceived.addAndGet(n);
      Thread.sleep(pause);
    }
    return body.toByteArray();
  }

  /** The first {@code bytes} of an upload's body, sent to the registry as a PATCH of their own. */
  private void forwardPartOfUpload(HttpExchange exchange, String path, long bytes)
      throws IOException, InterruptedException {
    byte[] body = exchange.getRequestBody().readNBytes((int) bytes);
    HttpRequest request = HttpRequest.newBuilder(upstream.resolve(path))
        .header("Content-Type", "application/octet-stream")
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IOException("registry refused the partial chunk: " + response.statusCode() + " " + response.body());
    }
  }

  /** An upload's Location on the registry, made to come back through the proxy. */
  private String throughProxy(String value) {
    String origin = upstream.getScheme() + "://" + upstream.getRawAuthority();
    return value.startsWith(origin) ? "http://" + host() + value.substring(origin.length()) : value;
  }

  /** Bytes of this blob answer to send before cutting it (-1: all). */
  private long cutFor(String range) {
    long after = cutBlobsAfter.get();
    long at = cutBlobsAt.get();
    if (at < 0) {
      return after;
    }
    long from = range != null && range.startsWith("bytes=") && range.endsWith("-")
        ? Long.parseLong(range.substring(6, range.length() - 1)) : 0;
    long untilOffset = Math.max(0, at - from);
    return after < 0 ? untilOffset : Math.min(after, untilOffset);
  }

  @Override
  public void close() {
    front.close();
    server.stop(0);
  }

  private static final class CutOnPurpose extends IOException {
    CutOnPurpose(long bytes) {
      super("cut after " + bytes + " bytes on purpose");
    }
  }
}
