package org.jocker.build.dockerfile;

import static org.jocker.build.dockerfile.Flags.Kind.BOOL;
import static org.jocker.build.dockerfile.Flags.Kind.LIST;
import static org.jocker.build.dockerfile.Flags.Kind.STRING;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jocker.build.dockerfile.FileTransfer.Source;
import org.jocker.build.dockerfile.Instruction.ArgDeclaration;
import org.jocker.build.dockerfile.Instruction.KeyValue;

/** One logical line to one {@link Instruction}, each instruction's arguments read as Docker's. */
final class InstructionParser {
  static final List<String> KEYWORDS =
      List.of(
          "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck",
          "label", "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume",
          "workdir");

  private static final Map<String, Map<String, Flags.Kind>> FLAGS =
      Map.of(
          "from", Map.of("platform", STRING),
          "run", Map.of("mount", LIST, "network", STRING, "security", STRING, "device", LIST),
          "copy", Map.of(
              "from", STRING, "chown", STRING, "chmod", STRING, "link", BOOL, "exclude", LIST,
              "parents", BOOL),
          "add", Map.of(
              "chown", STRING, "chmod", STRING, "link", BOOL, "exclude", LIST, "checksum", STRING,
              "keep-git-dir", BOOL, "unpack", BOOL),
          "healthcheck", Map.of(
              "interval", STRING, "timeout", STRING, "start-period", STRING,
              "start-interval", STRING, "retries", STRING));

  private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");

  private final String file;
  private final char escape;

  InstructionParser(String file, char escape) {
    this.file = file;
    this.escape = escape;
  }

  Instruction parse(LogicalLine line) {
    return parse(line.text(), line, new SourceLines(line.start(), line.end(), line.text()));
  }

  private Instruction parse(String text, LogicalLine line, SourceLines where) {
    RawWords words = new RawWords(text, escape);
    String word = words.next();
    String keyword = word.toLowerCase(Locale.ROOT);
    if (!KEYWORDS.contains(keyword)) {
      throw error(line, "unknown instruction: " + word + Suggestion.closest(word, KEYWORDS));
    }
    List<String> flagWords = new ArrayList<>();
    String rest = words.rest();
    RawWords flagReader = new RawWords(rest, escape);
    for (String w = flagReader.next(); w != null && w.startsWith("--"); w = flagReader.next()) {
      rest = flagReader.rest();
      if (w.equals("--")) {
        break;
      }
      flagWords.add(RawWords.unquote(w, escape));
    }
    Flags flags;
    try {
      flags = Flags.parse(flagWords, FLAGS.getOrDefault(keyword, Map.of()));
    } catch (Flags.FlagException e) {
      throw error(line, e.getMessage());
    }
    String name = keyword.toUpperCase(Locale.ROOT);
    if (rest.isEmpty() && !keyword.equals("healthcheck")) {
      throw error(line, name + " requires at least one argument");
    }
    return switch (keyword) {
      case "from" -> from(where, line, flags, rest);
      case "run" -> run(where, line, flags, rest);
      case "cmd" -> new Instruction.Cmd(where, command(line, rest));
      case "entrypoint" -> new Instruction.Entrypoint(where, command(line, rest));
      case "env" -> {
        var pairs = keyValues(line, "ENV", rest);
        yield new Instruction.Env(where, pairs.pairs(), pairs.legacy());
      }
      case "label" -> {
        var pairs = keyValues(line, "LABEL", rest);
        yield new Instruction.Label(where, pairs.pairs(), pairs.legacy());
      }
      case "arg" -> arg(where, line, rest);
      case "expose" -> new Instruction.Expose(where, RawWords.split(rest, escape));
      case "workdir" -> new Instruction.Workdir(where, rest);
      case "user" -> new Instruction.User(where, rest);
      case "stopsignal" -> new Instruction.StopSignal(where, rest);
      case "maintainer" -> new Instruction.Maintainer(where, rest);
      case "volume" -> volume(where, line, rest);
      case "copy" -> new Instruction.Copy(
          where, transfer(line, "COPY", flags, rest), noVariables(line, flags.string("from")),
          flags.bool("parents"));
      case "add" -> new Instruction.Add(
          where, transfer(line, "ADD", flags, rest), flags.string("checksum"),
          flags.bool("keep-git-dir"), flags.optionalBool("unpack"));
      case "shell" -> shell(where, line, rest);
      case "healthcheck" -> healthcheck(where, line, flags, rest);
      default -> onbuild(where, line, rest);
    };
  }

  private Instruction.From from(SourceLines where, LogicalLine line, Flags flags, String rest) {
    List<String> args = RawWords.split(rest, escape);
    Optional<String> stage = Optional.empty();
    if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
      String name = args.get(2).toLowerCase(Locale.ROOT);
      if (!STAGE_NAME.matcher(name).matches()) {
        throw error(line, "invalid name for build stage: \"" + args.get(2)
            + "\", name can't start with a number or contain symbols");
      }
      stage = Optional.of(name);
    } else if (args.size() != 1) {
      throw error(line, "FROM requires either one or three arguments");
    }
    return new Instruction.From(where, args.get(0), flags.string("platform"), stage);
  }

  private Instruction.Run run(SourceLines where, LogicalLine line, Flags flags, String rest) {
    List<Mount> mounts = new ArrayList<>();
    for (String spec : flags.list("mount")) {
      try {
        mounts.add(MountParser.parse(spec));
      } catch (MountParser.MountException e) {
        throw error(line, e.getMessage());
      }
    }
    Optional<String> network = flags.string("network");
    if (network.isPresent() && !List.of("default", "none", "host").contains(network.get())) {
      throw error(line, "unsupported network mode \"" + network.get() + "\"");
    }
    Optional<String> security = flags.string("security");
    if (security.isPresent() && !List.of("sandbox", "insecure").contains(security.get())) {
      throw error(line, "unsupported security mode \"" + security.get() + "\"");
    }
    return new Instruction.Run(
        where, command(line, rest), line.heredocs(), mounts, network, security, flags.list("device"));
  }

  private CommandLine command(LogicalLine line, String rest) {
    try {
      return new CommandLine.ExecForm(JsonArgs.parse(rest));
    } catch (JsonArgs.NotJson e) {
      return new CommandLine.ShellForm(rest);
    } catch (JsonArgs.NotStrings e) {
      throw error(line, e.getMessage());
    }
  }

  private record Pairs(List<KeyValue> pairs, boolean legacy) {}

  /** ENV and LABEL: {@code K=V ...}, or the legacy {@code K rest of the line}. */
  private Pairs keyValues(LogicalLine line, String name, String rest) {
    List<String> words = RawWords.split(rest, escape);
    if (!words.get(0).contains("=")) {
      String[] parts = rest.split("\\s+", 2);
      if (parts.length < 2) {
        throw error(line, name + " must have two arguments");
      }
      return new Pairs(List.of(new KeyValue(parts[0], parts[1])), true);
    }
    List<KeyValue> pairs = new ArrayList<>();
    for (String word : words) {
      int eq = word.indexOf('=');
      if (eq < 0) {
        throw error(line, "Syntax error - can't find = in \"" + word
            + "\". Must be of the form: name=value");
      }
      if (eq == 0) {
        throw error(line, name + " names can not be blank");
      }
      pairs.add(new KeyValue(word.substring(0, eq), word.substring(eq + 1)));
    }
    return new Pairs(pairs, false);
  }

  private Instruction.Arg arg(SourceLines where, LogicalLine line, String rest) {
    List<ArgDeclaration> declarations = new ArrayList<>();
    for (String word : RawWords.split(rest, escape)) {
      int eq = word.indexOf('=');
      String name = eq < 0 ? word : word.substring(0, eq);
      if (name.isEmpty()) {
        throw error(line, "ARG names can not be blank");
      }
      declarations.add(new ArgDeclaration(
          name, eq < 0 ? Optional.empty() : Optional.of(word.substring(eq + 1))));
    }
    return new Instruction.Arg(where, declarations);
  }

  private Instruction.Volume volume(SourceLines where, LogicalLine line, String rest) {
    List<String> paths = jsonOrWords(line, rest);
    if (paths.stream().anyMatch(p -> p.strip().isEmpty())) {
      throw error(line, "VOLUME specified can not be an empty string");
    }
    return new Instruction.Volume(where, paths);
  }

  /** COPY and ADD: JSON, else words; {@code <<NAME} words are heredoc sources. */
  private FileTransfer transfer(LogicalLine line, String name, Flags flags, String rest) {
    boolean json = JsonArgs.isJsonArray(rest);
    List<String> args = jsonOrWords(line, rest);
    List<Heredoc> heredocs = json ? List.of() : line.heredocs();
    if (args.size() < 2) {
      if (heredocs.isEmpty()) {
        throw error(line, name + " requires at least two arguments, but only one was provided."
            + " Destination could not be determined");
      }
    }
    String destination = args.get(args.size() - 1);
    if (!heredocs.isEmpty() && destination.startsWith("<<")) {
      throw error(line, name + " cannot accept a heredoc as destination");
    }
    List<Source> sources = new ArrayList<>();
    int nextHeredoc = 0;
    for (String arg : args.subList(0, args.size() - 1)) {
      if (nextHeredoc < heredocs.size() && arg.matches("^\\d*<<.*")) {
        sources.add(new Source.Inline(heredocs.get(nextHeredoc++)));
      } else {
        sources.add(new Source.Path(arg));
      }
    }
    return new FileTransfer(sources, destination, flags.string("chown"), flags.string("chmod"),
        flags.bool("link"), flags.list("exclude"));
  }

  private Optional<String> noVariables(LogicalLine line, Optional<String> from) {
    if (from.isPresent() && from.get().contains("$")) {
      throw error(line, "variable expansion is not supported for --from, define a new stage with"
          + " FROM using ARG from global scope as a workaround");
    }
    return from;
  }

  private List<String> jsonOrWords(LogicalLine line, String rest) {
    try {
      return JsonArgs.parse(rest);
    } catch (JsonArgs.NotJson e) {
      return RawWords.split(rest, escape);
    } catch (JsonArgs.NotStrings e) {
      throw error(line, e.getMessage());
    }
  }

  private Instruction.Shell shell(SourceLines where, LogicalLine line, String rest) {
    try {
      List<String> command = JsonArgs.parse(rest);
      if (command.isEmpty()) {
        throw error(line, "SHELL requires at least one argument");
      }
      return new Instruction.Shell(where, command);
    } catch (JsonArgs.NotJson | JsonArgs.NotStrings e) {
      throw error(line, "SHELL requires the arguments to be in JSON form");
    }
  }

  private Instruction.Healthcheck healthcheck(
      SourceLines where, LogicalLine line, Flags flags, String rest) {
    RawWords words = new RawWords(rest, escape);
    String type = words.next();
    if (type == null) {
      throw error(line, "HEALTHCHECK requires at least one argument");
    }
    String command = words.rest();
    List<String> test;
    switch (type.toUpperCase(Locale.ROOT)) {
      case "NONE" -> {
        if (!command.isEmpty() || !flags.isEmpty()) {
          throw error(line, "HEALTHCHECK NONE takes no arguments");
        }
        test = List.of("NONE");
      }
      case "CMD" -> {
        if (command.isEmpty()) {
          throw error(line, "Missing command after HEALTHCHECK CMD");
        }
        test = new ArrayList<>();
        switch (command(line, command)) {
          case CommandLine.ExecForm exec -> {
            test.add("CMD");
            test.addAll(exec.args());
          }
          case CommandLine.ShellForm shell -> {
            test.add("CMD-SHELL");
            test.add(shell.script());
          }
        }
      }
      default -> throw error(line, "Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
    }
    int retries = 0;
    Optional<String> retriesFlag = flags.string("retries");
    if (retriesFlag.isPresent()) {
      try {
        retries = Integer.parseInt(retriesFlag.get());
      } catch (NumberFormatException e) {
        throw error(line, "strconv.ParseInt: parsing \"" + retriesFlag.get() + "\": invalid syntax");
      }
      if (retries < 0) {
        throw error(line, "--retries cannot be negative (" + retries + ")");
      }
    }
    return new Instruction.Healthcheck(where, List.copyOf(test), interval(line, flags, "interval"),
        interval(line, flags, "timeout"), interval(line, flags, "start-period"),
        interval(line, flags, "start-interval"), retries);
  }

  /** A HEALTHCHECK duration: unset is zero, anything else at least 1 ms. */
  private Duration interval(LogicalLine line, Flags flags, String name) {
    Optional<String> text = flags.string(name);
    if (text.isEmpty()) {
      return Duration.ZERO;
    }
    Duration d = GoDuration.parse(text.get());
    if (d == null) {
      throw error(line, "time: invalid duration \"" + text.get() + "\"");
    }
    if (!d.isZero() && d.compareTo(Duration.ofMillis(1)) < 0) {
      throw error(line, "Interval \"" + name + "\" cannot be less than 1ms");
    }
    return d;
  }

  private Instruction.OnBuild onbuild(SourceLines where, LogicalLine line, String rest) {
    String trigger = new RawWords(rest, escape).next().toUpperCase(Locale.ROOT);
    switch (trigger) {
      case "ONBUILD" -> throw error(line, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      case "FROM", "MAINTAINER" -> throw error(line, trigger + " isn't allowed as an ONBUILD trigger");
      default -> {}
    }
    return new Instruction.OnBuild(where, parse(rest, line, where), rest);
  }

  private DockerfileException error(LogicalLine line, String detail) {
    return new DockerfileException(file, line.start(), detail);
  }
}
