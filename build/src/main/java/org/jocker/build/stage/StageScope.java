package org.jocker.build.stage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jocker.build.dockerfile.DockerfileException;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.build.dockerfile.Instruction.ArgDeclaration;
import org.jocker.build.dockerfile.Instruction.KeyValue;
import org.jocker.build.shell.ExpansionException;
import org.jocker.build.shell.ShellLexer;
import org.jocker.build.shell.Variables;

/**
 * The variables of a stage as its instructions are dispatched: the environment (the base image's,
 * then each ENV) and the ARGs declared so far. ENV always wins over an ARG of the same name; an ARG
 * takes its --build-arg, else its expanded default, else the global ARG's value (so {@code ARG
 * NAME} re-declares a global one), else the automatic platform ARG of that name.
 */
public final class StageScope {
  private final Map<String, String> env;
  private final Map<String, String> args;
  private final GlobalScope global;
  private final Map<String, String> buildArgs;
  private final ShellLexer lexer;
  private final String file;

  private StageScope(Map<String, String> env, Map<String, String> args, GlobalScope global,
      Map<String, String> buildArgs, ShellLexer lexer, String file) {
    this.file = file;
    this.env = env;
    this.args = args;
    this.global = global;
    this.buildArgs = buildArgs;
    this.lexer = lexer;
  }

  /** A stage from an image or scratch: {@code baseEnv} is the image config's Env, in order. */
  static StageScope start(Map<String, String> baseEnv, GlobalScope global, Map<String, String> buildArgs,
      ShellLexer lexer, String file) {
    return new StageScope(new LinkedHashMap<>(baseEnv), new LinkedHashMap<>(), global, buildArgs, lexer, file);
  }

  /** A stage FROM another: it inherits that stage's environment and ARGs. */
  public StageScope child() {
    return new StageScope(new LinkedHashMap<>(env), new LinkedHashMap<>(args), global, buildArgs, lexer, file);
  }

  /** What a word of the next instruction is expanded against (a snapshot: one ENV line sees the old values). */
  public Variables variables() {
    Map<String, String> envNow = Map.copyOf(env);
    Map<String, String> argsNow = new LinkedHashMap<>(args);
    Set<String> declared = Set.copyOf(args.keySet());
    return name -> envNow.containsKey(name) ? envNow.get(name)
        : declared.contains(name) ? argsNow.get(name) : null;
  }

  /** ARG: each name declared in turn (a later default may use an earlier one). */
  public void declare(Instruction.Arg instruction) {
    try {
      instruction.declarations().forEach(this::declare);
    } catch (ExpansionException e) {
      throw new DockerfileException(file, instruction.lines().start(), e.getMessage());
    }
  }

  private void declare(ArgDeclaration arg) {
    String value;
    if (buildArgs.containsKey(arg.name())) {
      value = buildArgs.get(arg.name()); // the default is then not even evaluated
    } else if (arg.defaultValue().isPresent()) {
      value = lexer.expandWord(arg.defaultValue().get(), variables());
    } else {
      value = global.valueOf(arg.name());
    }
    args.put(arg.name(), value);
  }

  /** ENV: its pairs, all expanded against the variables before this line. */
  public void setEnv(Instruction.Env instruction) {
    Variables before = variables();
    try {
      for (KeyValue pair : instruction.pairs()) {
        String key = lexer.expandWord(pair.key(), before);
        env.remove(key); // a redefined name moves to the end, as in Docker's config
        env.put(key, lexer.expandWord(pair.value(), before));
      }
    } catch (ExpansionException e) {
      throw new DockerfileException(file, instruction.lines().start(), e.getMessage());
    }
  }

  /** The environment as the image config keeps it. */
  public Map<String, String> environment() {
    return Map.copyOf(env);
  }

  /** The ARGs with a value, which RUN sees as environment variables (and its cache key includes). */
  public Map<String, String> argValues() {
    Map<String, String> values = new LinkedHashMap<>();
    args.forEach((k, v) -> {
      if (v != null && !env.containsKey(k)) {
        values.put(k, v);
      }
    });
    return values;
  }
}
