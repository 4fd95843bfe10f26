package org.jocker.cli.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jocker.cli.testing.Jocker;
import org.jocker.runtime.testing.TestBundle;

/** `jocker runtime` run in this JVM with its state in a test's directory, and busybox bundles for it. */
final class RuntimeCli {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  RuntimeCli(Path dir) {
    this.dir = dir;
  }

  Path stateRoot() {
    return dir.resolve("state");
  }

  /** `jocker ARGS` in this JVM, with what it prints captured (the engine's --root is never used). */
  Jocker.Result jocker(String... args) {
    return new Jocker(dir.resolve("engine")).run(args);
  }

  /** `jocker runtime --root STATE ARGS`. */
  Jocker.Result runtime(String... args) {
    List<String> all = new ArrayList<>(List.of("runtime", "--root", stateRoot().toString()));
    all.addAll(List.of(args));
    return jocker(all.toArray(String[]::new));
  }

  /** A bundle in dir/name from `runtime spec` running args, with a writable root. */
  Path bundle(String name, List<String> args, boolean terminal) throws IOException {
    return bundle(name, args, config -> ((ObjectNode) config.get("process")).put("terminal", terminal));
  }

  /** The same without a terminal, its config.json then edited by {@code edit}. */
  Path bundle(String name, List<String> args, Consumer<ObjectNode> edit) throws IOException {
    Path bundle = Files.createDirectories(dir.resolve(name));
    TestBundle.createRootfs(bundle.resolve("rootfs"));
    Jocker.Result spec = runtime("spec", "-b", bundle.toString());
    if (spec.code() != 0) {
      throw new IllegalStateException("runtime spec failed: " + spec.err());
    }
    ObjectNode config = (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
    ObjectNode process = (ObjectNode) config.get("process");
    process.put("terminal", false);
    process.set("args", JSON.valueToTree(args));
    ((ObjectNode) config.get("root")).put("readonly", false);
    edit.accept(config);
    JSON.writeValue(bundle.resolve("config.json").toFile(), config);
    return bundle;
  }

  /** `run -d` of the bundle, once running; returns the init's pid. */
  long runDetached(String id, Path bundle) throws Exception {
    Jocker.Result run = runtime("run", "-d", "-b", bundle.toString(), id);
    if (run.code() != 0) {
      throw new AssertionError("run " + id + ": " + run.err());
    }
    awaitStatus(id, "running");
    return state(id).get("pid").asLong();
  }

  /** `run -d` of a container sleeping for 10 minutes (its bundle dir/ID); returns the init's pid. */
  long runSleeping(String id) throws Exception {
    return runDetached(id, bundle(id, List.of("sleep", "600"), config -> {}));
  }

  JsonNode state(String id) throws IOException {
    return JSON.readTree(runtime("state", id).out());
  }

  /** Runs the command expecting runc's way of failing: exit code 1 and {@code message} as one line. */
  void fails(String message, String... args) {
    Jocker.Result r = runtime(args);
    if (r.code() != 1 || !r.err().equals("jocker-runtime: " + message + "\n")) {
      throw new AssertionError(String.join(" ", args) + ": expected exit code 1 and \"" + message + "\", got "
          + r.code() + " and " + r.err());
    }
  }

  void awaitStatus(String id, String status) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (JSON.readTree(runtime("state", id).out()).get("status").asText().equals(status)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(id + " never became " + status);
  }

  /** Removes every container of this state root. */
  void deleteAll() {
    for (String id : runtime("list", "-q").out().lines().toList()) {
      runtime("delete", "--force", id);
    }
  }
}
