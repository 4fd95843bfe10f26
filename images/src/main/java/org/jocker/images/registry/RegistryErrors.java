package org.jocker.images.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;

/**
 * The registry's failures in Docker's words: a distribution error body ({@code
 * {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}}) becomes {@code
 * manifest unknown: manifest unknown} with the code kept; a failed connection becomes Go's
 * one-liner ({@code Get "http://...": dial tcp 127.0.0.1:5000: connect: connection refused}).
 */
final class RegistryErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RegistryErrors() {}

  /** An answer with status {@code status} and (the start of) its body. */
  static RegistryException ofResponse(int status, byte[] body) {
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        JsonNode first = errors.get(0);
        String code = first.path("code").asText("UNKNOWN");
        String message = first.path("message").asText("");
        String words = code.toLowerCase(Locale.ROOT).replace('_', ' ');
        return new RegistryException(message.isEmpty() ? words : words + ": " + message, code, status);
      }
    } catch (IOException | RuntimeException notJson) {
      // fall through to the status alone
    }
    return switch (status) {
      case 401 -> new RegistryException("unauthorized: authentication required", "UNAUTHORIZED", status);
      case 403 -> new RegistryException("denied: requested access to the resource is denied", "DENIED", status);
      case 404 -> new RegistryException("not found", null, status);
      case 429 -> new RegistryException("toomanyrequests: too many requests", "TOOMANYREQUESTS", status);
      default -> new RegistryException("received unexpected HTTP status: " + status + " "
          + reason(status), null, status);
    };
  }

  /** A request that got no answer. */
  static RegistryException ofTransport(String method, URI uri, IOException e) {
    String host = uri.getHost() + ":" + port(uri);
    String cause;
    if (e instanceof HttpConnectTimeoutException) {
      cause = "dial tcp " + host + ": i/o timeout";
    } else if (e instanceof ConnectException) {
      cause = "dial tcp " + host + ": connect: connection refused";
    } else if (e instanceof UnknownHostException || hasCause(e, UnknownHostException.class)) {
      cause = "dial tcp: lookup " + uri.getHost() + ": no such host";
    } else if (hasCause(e, java.security.cert.CertPathBuilderException.class)
        || hasCause(e, java.security.cert.CertPathValidatorException.class)) {
      cause = "tls: failed to verify certificate: x509: certificate signed by unknown authority";
    } else if (refusedByTlsServer(e)) {
      cause = goAlert(alertOf(e));
    } else if (e instanceof javax.net.ssl.SSLException) {
      cause = "tls: " + e.getMessage();
    } else if (e instanceof HttpTimeoutException) {
      cause = "net/http: timeout awaiting response headers";
    } else {
      cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return new RegistryException(goMethod(method) + " \"" + uri + "\": " + cause, e);
  }

  /**
   * Whether the server spoke TLS and refused us with an alert (e.g. it demands a client
   * certificate): the host's port is a TLS one, so plain http to it cannot do better.
   */
  static boolean refusedByTlsServer(Throwable e) {
    return alertOf(e) != null;
  }

  /**
   * The alert of the JDK's "(NAME) Received fatal alert: NAME" in {@code e} or its causes, or
   * null.
   */
  private static String alertOf(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      int at = c instanceof javax.net.ssl.SSLException && c.getMessage() != null
          ? c.getMessage().indexOf(RECEIVED_ALERT) : -1;
      if (at >= 0) {
        return c.getMessage().substring(at + RECEIVED_ALERT.length()).strip();
      }
    }
    return null;
  }

  private static final String RECEIVED_ALERT = "Received fatal alert: ";

  /** A TLS alert from the server as Go's crypto/tls words it ({@code remote error: tls: certificate required}). */
  private static String goAlert(String alert) {
    String words = switch (alert) {
      case "unknown_ca" -> "unknown certificate authority";
      case "protocol_version" -> "protocol version not supported";
      case "decrypt_error" -> "error decrypting message";
      default -> alert.replace('_', ' ');
    };
    return "remote error: tls: " + words;
  }

  static boolean isTransient(int status) {
    return status == 429 || status >= 500;
  }

  private static String goMethod(String method) {
    return method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 405 -> "Method Not Allowed";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
  }
}
