package org.jocker.cli.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.cli.session.Session;
import org.jocker.engine.EngineException;
import org.jocker.images.ImageException;
import org.jocker.images.RegistryAccess;
import org.jocker.images.RegistryUser;
import org.jocker.kernel.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Docker's {@code login}: checks the credentials against the registry and stores them in the
 * caller's config.json (or its credential helper). Failures are the registry's answer, exit 1.
 */
@Command(name = "login", description = "Log in to a registry (Docker Hub when no SERVER is given).")
public final class LoginCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Option(names = {"-u", "--username"}, description = "Username.") String username;
  @Option(names = {"-p", "--password"}, description = "Password or token.") String password;
  @Option(names = "--password-stdin", description = "Take the password from stdin.") boolean passwordStdin;
  @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER") String server;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, EngineErrors.Style.DAEMON_RESPONSE, () -> {
      String secret = password();
      String user = username == null || username.isEmpty() ? null : username;
      if (user == null || secret == null) { // Docker asks at the terminal for what the flags did not give
        TerminalPrompt prompt = terminal();
        user = user != null ? user : required(prompt.line("Username: ").strip(), "Non-null Username Required");
        secret = secret != null ? secret : required(prompt.secret("Password: "), "Password Required");
      }
      RegistryUser caller = jocker.registryUser();
      RegistryAccess registries;
      try {
        registries = jocker.registries();
        registries.login(server, user, secret, caller);
      } catch (ImageException e) { // the registry's refusal, or a bad configuration
        throw EngineException.of(EngineException.Kind.FORBIDDEN, e, "%s", e.getMessage());
      }
      if (registries.storesInTheClear(server, caller)) {
        System.err.println("WARNING! Your password will be stored unencrypted in "
            + caller.configDir().resolve("config.json") + ".");
        System.err.println("Configure a credential helper to remove this warning. See");
        System.err.println("https://docs.docker.com/engine/reference/commandline/login/#credentials-store");
        System.err.println();
      }
      System.out.println("Login Succeeded");
      return 0;
    });
  }

  private String password() {
    if (password != null && passwordStdin) {
      throw EngineException.invalidArgument("--password and --password-stdin are mutually exclusive").checkedByClient();
    }
    if (passwordStdin) {
      if (username == null || username.isEmpty()) {
        throw EngineException.invalidArgument("Must provide --username with --password-stdin").checkedByClient();
      }
      try {
        String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        return text.replaceAll("[\r\n]+$", "");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (password != null) {
      System.err.println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
      return password;
    }
    return null; // asked at the terminal
  }

  private static String required(String answer, String error) {
    if (answer.isEmpty()) {
      throw EngineException.invalidArgument(error).checkedByClient();
    }
    return answer;
  }

  /** The caller's terminal, for what the flags did not give. */
  private static TerminalPrompt terminal() {
    int stdin = Session.current().stdin();
    if (!Terminal.isTerminal(stdin)) {
      throw EngineException.invalidArgument("Cannot perform an interactive login from a non TTY device")
          .checkedByClient();
    }
    return new TerminalPrompt(stdin);
  }
}
