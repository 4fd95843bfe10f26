package org.jocker.images.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry token service for tests, on 127.0.0.1: checks Basic credentials (one user), and
 * signs RS256 JWTs the registry trusts through {@code rootcertbundle} (the signing certificate
 * goes in the token's x5c header). Anonymous callers get pull rights only; a wrong password is
 * answered 401. Every request is recorded, so tests can count them.
 */
public final class TokenIssuer implements AutoCloseable {
  public static final String SERVICE = "jocker-test-registry";
  public static final String ISSUER = "jocker-test-issuer";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String user;
  private final String password;
  private final PrivateKey key;
  private final String certificate;
  private final Path certificateFile;
  private final long expiresIn;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private TokenIssuer(String user, String password, Path keyFile, Path certificateFile, long expiresIn)
      throws IOException, GeneralSecurityException {
    this.user = user;
    this.password = password;
    this.certificateFile = certificateFile;
    this.expiresIn = expiresIn;
    this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pemBody(keyFile)));
    try (InputStream in = Files.newInputStream(certificateFile)) {
      this.certificate = Base64.getEncoder().encodeToString(
          CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded());
    }
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::issue);
    server.start();
  }

  /** @param expiresIn the tokens' lifetime in seconds, as the answer's expires_in says */
  public static TokenIssuer start(String user, String password, TestPki pki, long expiresIn)
      throws IOException, GeneralSecurityException {
    return new TokenIssuer(user, password, pki.tokenKey(), pki.tokenCertificate(), expiresIn);
  }

  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** The registry's {@code auth:} section trusting this issuer. */
  public String registryConfig() {
    return "auth:\n  token:\n    realm: " + realm() + "\n    service: " + SERVICE + "\n    issuer: " + ISSUER
        + "\n    rootcertbundle: " + certificateFile + "\n";
  }

  /** The query strings of the requests so far. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void issue(HttpExchange exchange) throws IOException {
    try (exchange) {
      String query = exchange.getRequestURI().getRawQuery();
      requests.add(query == null ? "" : query);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String subject = "";
      if (authorization != null) {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        if (!authorization.equals(expected)) {
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        subject = user;
      }
      List<Map<String, Object>> access = new ArrayList<>();
      for (String scope : parameters(query, "scope")) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        List<String> actions = List.of(scope.substring(last + 1).split(","));
        if (subject.isEmpty()) {
          actions = actions.contains("pull") ? List.of("pull") : List.of();
        }
        access.add(Map.of("type", scope.substring(0, first), "name", scope.substring(first + 1, last),
            "actions", actions));
      }
      Instant now = Instant.now();
      Map<String, Object> claims = new LinkedHashMap<>();
      claims.put("iss", ISSUER);
      claims.put("sub", subject);
      claims.put("aud", SERVICE);
      claims.put("exp", now.getEpochSecond() + expiresIn);
      claims.put("nbf", now.getEpochSecond() - 10);
      claims.put("iat", now.getEpochSecond());
      claims.put("jti", UUID.randomUUID().toString());
      claims.put("access", access);
      byte[] body = JSON.writeValueAsBytes(Map.of("token", jwt(claims), "expires_in", expiresIn,
          "issued_at", now.toString()));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  private String jwt(Map<String, Object> claims) throws IOException, GeneralSecurityException {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String header = url.encodeToString(JSON.writeValueAsBytes(
        Map.of("alg", "RS256", "typ", "JWT", "x5c", List.of(certificate))));
    String payload = url.encodeToString(JSON.writeValueAsBytes(claims));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key);
    rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
    return header + "." + payload + "." + url.encodeToString(rsa.sign());
  }

  private static List<String> parameters(String query, String name) {
    List<String> values = new ArrayList<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals(name)) {
          values.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }

  private static byte[] pemBody(Path file) throws IOException {
    String text = Files.readString(file);
    String body = text.substring(text.indexOf("-----", text.indexOf("BEGIN")) + 5, text.indexOf("-----END"));
    return Base64.getMimeDecoder().decode(body.strip());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
