package org.jocker.cli.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocker.cli.session.Session;

/**
 * {@code --secret id=ID[,src=FILE|,env=VAR][,type=file|env]} as Docker takes it: the value read
 * here, on the caller's side (a FILE relative to the caller's directory, a VAR of the caller's
 * environment; with neither, the file or variable named ID), never stored by the build.
 */
final class SecretFlags {
  /** A --secret that cannot be used, in Docker's words. */
  static final class InvalidSecretException extends Exception {
    InvalidSecretException(String message) {
      super(message);
    }
  }

  private SecretFlags() {}

  static Map<String, byte[]> read(List<String> flags) throws InvalidSecretException {
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    for (String flag : flags) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String field : flag.split(",")) {
        String[] kv = field.split("=", 2);
        if (kv.length != 2) {
          throw new InvalidSecretException("invalid secret " + flag + ": field '" + field + "' must be a key=value pair");
        }
        fields.put(kv[0].toLowerCase(java.util.Locale.ROOT), kv[1]);
      }
      String id = fields.get("id");
      if (id == null || id.isEmpty()) {
        throw new InvalidSecretException("invalid secret " + flag + ": id is required");
      }
      String file = fields.getOrDefault("src", fields.get("source"));
      String env = fields.get("env");
      String type = fields.getOrDefault("type", env != null ? "env" : "file");
      if (type.equals("env")) {
        String value = Session.current().env().get(env != null ? env : id);
        if (value == null) {
          throw new InvalidSecretException("secret " + id + ": environment variable " + (env != null ? env : id)
              + " is not set");
        }
        secrets.put(id, value.getBytes(StandardCharsets.UTF_8));
      } else if (type.equals("file")) {
        String path = file != null ? file : id;
        try {
          secrets.put(id, Files.readAllBytes(Session.current().path(path)));
        } catch (IOException e) {
          throw new InvalidSecretException("failed to read secret " + id + ": open " + path
              + ": no such file or directory");
        }
      } else {
        throw new InvalidSecretException("invalid secret " + flag + ": unsupported type " + type);
      }
    }
    return secrets;
  }
}
