package org.jocker.images.registry.credentials;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jocker.images.registry.RegistryException;

/**
 * A Docker credential helper, {@code docker-credential-NAME} on the caller's PATH, spoken to as
 * Docker does: {@code get} and {@code erase} read the server URL on stdin, {@code store} a JSON
 * object; {@code get} answers JSON on stdout, or "credentials not found" and a failure.
 */
public final class CredentialHelper {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final String NOT_FOUND = "credentials not found in native keychain";

  private final String name;
  private final Map<String, String> env;

  /** @param env the caller's environment: the helper runs in it and is found on its PATH */
  public CredentialHelper(String name, Map<String, String> env) {
    this.name = name;
    this.env = Map.copyOf(env);
  }

  /** The helper's message as Docker's protocol words it. */
  record Message(
      @JsonProperty("ServerURL") String serverUrl,
      @JsonProperty("Username") String username,
      @JsonProperty("Secret") String secret) {}

  public Optional<Credentials> get(String serverUrl) {
    Result r = run("get", serverUrl);
    if (r.code() != 0) {
      if (r.out().contains(NOT_FOUND) || r.out().isBlank() && r.err().contains(NOT_FOUND)) {
        return Optional.empty();
      }
      throw failure("get", r);
    }
    try {
      Message m = JSON.readValue(r.out(), Message.class);
      return m.username() == null || m.username().isEmpty() && (m.secret() == null || m.secret().isEmpty())
          ? Optional.empty() : Optional.of(new Credentials(m.username(), m.secret() == null ? "" : m.secret()));
    } catch (IOException e) {
      throw new RegistryException("error getting credentials - err: " + e.getMessage().lines().findFirst().orElse("")
          + ", out: `" + r.out().strip() + "`", e);
    }
  }

  public void store(String serverUrl, Credentials credentials) {
    String message;
    try {
      message = JSON.writeValueAsString(new Message(serverUrl, credentials.username(), credentials.password()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Result r = run("store", message);
    if (r.code() != 0) {
      throw failure("store", r);
    }
  }

  /** Erases {@code serverUrl}'s credentials; false when the helper had none. */
  public boolean erase(String serverUrl) {
    Result r = run("erase", serverUrl);
    if (r.code() != 0) {
      if (r.out().contains(NOT_FOUND) || r.err().contains(NOT_FOUND)) {
        return false;
      }
      throw failure("erase", r);
    }
    return true;
  }

  private record Result(int code, String out, String err) {}

  private RegistryException failure(String verb, Result r) {
    String said = !r.out().isBlank() ? r.out().strip() : r.err().strip();
    String action = verb.equals("get") ? "getting" : verb.equals("store") ? "storing" : "erasing";
    return new RegistryException("error " + action + " credentials - err: exit status " + r.code()
        + ", out: `" + said.lines().findFirst().orElse("") + "`", null, 0);
  }

  private Result run(String verb, String input) {
    String program = "docker-credential-" + name;
    Path executable = onPath(program);
    ProcessBuilder builder = new ProcessBuilder(executable.toString(), verb);
    builder.environment().clear();
    builder.environment().putAll(env);
    try {
      Process p = builder.start();
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      try (OutputStream in = p.getOutputStream()) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(readAll(p.getInputStream()), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new RegistryException(program + " " + verb + " did not finish within 60 s", null, 0);
      }
      return new Result(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RegistryException("error " + verb + " credentials: running " + program + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted running " + program, e);
    }
  }

  private Path onPath(String program) {
    for (String dir : env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new RegistryException("error getting credentials - err: exec: \"" + program
        + "\": executable file not found in $PATH", null, 0);
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
