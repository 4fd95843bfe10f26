package org.jocker.images.registry.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jocker.images.registry.RegistryException;
import org.jocker.kernel.Durable;

/**
 * Docker's client configuration file ({@code config.json}) as far as credentials go: {@code
 * auths} (base64 {@code user:password} per server), {@code credsStore}, {@code credHelpers}.
 * Every other key is kept as it was. Saved with mode 0600 through a temp file, fsync and rename;
 * the file (and a directory made for it) belongs to whoever owns the directory above, as the
 * engine may write it for another user.
 */
public final class DockerConfigFile {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private final ObjectNode root;

  private DockerConfigFile(Path file, ObjectNode root) {
    this.file = file;
    this.root = root;
  }

  /** The file in {@code dir}; a missing file is an empty configuration. */
  public static DockerConfigFile load(Path dir) {
    Path file = dir.resolve("config.json");
    try {
      JsonNode node = JSON.readTree(Files.readAllBytes(file));
      if (node == null || node.isMissingNode() || node.isNull()) {
        return new DockerConfigFile(file, JSON.createObjectNode());
      }
      if (!(node instanceof ObjectNode object)) {
        throw new RegistryException("loading config file: " + file + ": not a JSON object", null, 0);
      }
      return new DockerConfigFile(file, object);
    } catch (NoSuchFileException e) {
      return new DockerConfigFile(file, JSON.createObjectNode());
    } catch (IOException e) {
      throw new RegistryException("loading config file: " + file + ": "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  public Path file() {
    return file;
  }

  /** The credential helper for {@code key} ({@code credHelpers}), else the store for all ({@code credsStore}). */
  public Optional<String> helperFor(String key) {
    JsonNode helpers = root.path("credHelpers");
    for (Iterator<Map.Entry<String, JsonNode>> it = helpers.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (ServerKey.sameRegistry(e.getKey(), key) && !e.getValue().asText().isEmpty()) {
        return Optional.of(e.getValue().asText());
      }
    }
    String store = root.path("credsStore").asText("");
    return store.isEmpty() ? Optional.empty() : Optional.of(store);
  }

  /** The {@code auths} entry for {@code key} (or a key naming the same registry) with credentials. */
  public Optional<Credentials> auth(String key) {
    Optional<String> stored = storedKey(key);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    JsonNode entry = root.path("auths").path(stored.get());
    String auth = entry.path("auth").asText("");
    if (!auth.isEmpty()) {
      return Optional.ofNullable(Credentials.decodeOrNull(auth));
    }
    String username = entry.path("username").asText("");
    return username.isEmpty() ? Optional.empty()
        : Optional.of(new Credentials(username, entry.path("password").asText("")));
  }

  /** Whether {@code auths} has an entry for {@code key}'s registry, with or without credentials. */
  public boolean hasEntry(String key) {
    return storedKey(key).isPresent();
  }

  public void putAuth(String key, Credentials credentials) {
    removeAuth(key);
    ObjectNode entry = auths().putObject(key);
    entry.put("auth", credentials.encoded());
  }

  /** An entry with no credentials: where Docker notes a login whose secret is in a helper. */
  public void putEmpty(String key) {
    removeAuth(key);
    auths().putObject(key);
  }

  /** Removes every {@code auths} entry for {@code key}'s registry; whether there was one. */
  public boolean removeAuth(String key) {
    boolean removed = false;
    for (Optional<String> k = storedKey(key); k.isPresent(); k = storedKey(key)) {
      auths().remove(k.get());
      removed = true;
    }
    return removed;
  }

  /** Writes the file: 0600 from its creation, fsynced, renamed over the old one. */
  public void save() {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ownLike(dir, dir.getParent());
      }
      Path temp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "-"
          + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
      try {
        try (FileChannel ch = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
          ByteBuffer buffer = ByteBuffer.wrap(JSON.writeValueAsBytes(root));
          while (buffer.hasRemaining()) {
            ch.write(buffer);
          }
          ch.force(true);
        }
        ownLike(temp, dir);
        Durable.rename(temp, file);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new RegistryException("saving credentials to " + file + ": " + e.getMessage(), e);
    }
  }

  /** Gives {@code path} the user and group of {@code reference} (root writing a user's file). */
  private static void ownLike(Path path, Path reference) throws IOException {
    PosixFileAttributes want = Files.readAttributes(reference, PosixFileAttributes.class);
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    PosixFileAttributes have = view.readAttributes();
    if (!have.owner().equals(want.owner())) {
      view.setOwner(want.owner());
    }
    if (!have.group().equals(want.group())) {
      view.setGroup(want.group());
    }
  }

  private ObjectNode auths() {
    JsonNode auths = root.get("auths");
    return auths instanceof ObjectNode o ? o : root.putObject("auths");
  }

  private Optional<String> storedKey(String key) {
    JsonNode auths = root.path("auths");
    if (auths.has(key)) {
      return Optional.of(key);
    }
    for (Iterator<String> it = auths.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (ServerKey.sameRegistry(k, key)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
