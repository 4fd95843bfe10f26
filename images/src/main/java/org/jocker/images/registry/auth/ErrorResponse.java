package org.jocker.images.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jocker.images.registry.RegistryException;

/**
 * A refusal as Docker words it: the distribution API's {@code errors} ({@code code: message}),
 * a token service's {@code details}, else the status; 401 with nothing better is {@code
 * unauthorized: incorrect username or password}.
 */
final class ErrorResponse {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorResponse() {}

  static RegistryException of(int status, byte[] body, String who) {
    JsonNode json = parse(body);
    JsonNode first = json.path("errors").path(0);
    if (first.isObject() && first.hasNonNull("code")) {
      String code = first.path("code").asText();
      String message = first.path("message").asText("");
      return new RegistryException(code.toLowerCase(Locale.ROOT).replace('_', ' ')
          + (message.isEmpty() ? "" : ": " + message), code, status);
    }
    String details = json.path("details").asText("");
    if (status == 401) {
      return new RegistryException("unauthorized: "
          + (details.isEmpty() ? "incorrect username or password" : details), "UNAUTHORIZED", status);
    }
    if (!details.isEmpty()) {
      return new RegistryException(details, null, status);
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return new RegistryException(who + " answered " + status
        + (text.isEmpty() ? "" : ": " + text.lines().findFirst().orElse("")), null, status);
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode json = JSON.readTree(body);
      return json == null ? JSON.missingNode() : json;
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }
}
