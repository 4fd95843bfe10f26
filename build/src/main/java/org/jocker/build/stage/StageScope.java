package org.jocker.build.stage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jocker.build.dockerfile.DockerfileException;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.build.dockerfile.Instruction.ArgDeclaration;
import org.jocker.build.dockerfile.Instruction.KeyValue;
import org.jocker.build.shell.ExpansionException;
import org.jocker.build.shell.ShellLexer;
import org.jocker.build.shell.Variables;

/**
 * The variables of a stage as its instructions are dispatched, as BuildKit keeps them. What words
 * expand against, and what RUN sees, is the base image's Env, then each ENV pair and each ARG that
 * has a value, in order, a later one replacing an earlier one of the same name: so an ENV after
 * an ARG overrides it (the reference's "ENV always overrides ARG"), and an ARG after an ENV
 * re-sets it for RUN but not in the image config, which only ENV changes. An ARG takes its
 * --build-arg, else its expanded default (not evaluated when a build arg is given), else the
 * global ARG's value (so {@code ARG NAME} re-declares a global or automatic platform ARG); an ARG
 * with none of them is declared but unset. Undeclared build args reach nothing.
 */
public final class StageScope {
  private final Map<String, String> configEnv;
  private final Map<String, String> visible;
  private final Map<String, String> args;
  private final GlobalScope global;
  private final Map<String, String> buildArgs;
  private final ShellLexer lexer;
  private final String file;

  private StageScope(Map<String, String> configEnv, Map<String, String> visible, Map<String, String> args,
      GlobalScope global, Map<String, String> buildArgs, ShellLexer lexer, String file) {
    this.configEnv = new LinkedHashMap<>(configEnv);
    this.visible = new LinkedHashMap<>(visible);
    this.args = new LinkedHashMap<>(args);
    this.global = global;
    this.buildArgs = buildArgs;
    this.lexer = lexer;
    this.file = file;
  }

  /** A stage from an image or scratch: {@code baseEnv} is the image config's Env, in order. */
  static StageScope start(Map<String, String> baseEnv, GlobalScope global, Map<String, String> buildArgs,
      ShellLexer lexer, String file) {
    return new StageScope(baseEnv, baseEnv, Map.of(), global, buildArgs, lexer, file);
  }

  /** A stage FROM another: it inherits that stage's variables and ARGs. */
  public StageScope child() {
    return new StageScope(configEnv, visible, args, global, buildArgs, lexer, file);
  }

  /** What the next instruction's words expand against: a snapshot, so one line sees the values before it. */
  public Variables variables() {
    return Variables.of(Map.copyOf(withoutNulls(visible)));
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
      value = buildArgs.get(arg.name());
    } else if (arg.defaultValue().isPresent()) {
      value = lexer.expandWord(arg.defaultValue().get(), variables());
    } else {
      value = global.valueOf(arg.name());
    }
    args.put(arg.name(), value);
    if (value != null) {
      put(visible, arg.name(), value);
    }
  }

  /** ENV: its pairs, all expanded against the variables before this line. */
  public void setEnv(Instruction.Env instruction) {
    Variables before = variables();
    try {
      for (KeyValue pair : instruction.pairs()) {
        String key = lexer.expandWord(pair.key(), before);
        String value = lexer.expandWord(pair.value(), before);
        configEnv.put(key, value); // a redefined name keeps its place, as BuildKit's addEnv
        put(visible, key, value);
      }
    } catch (ExpansionException e) {
      throw new DockerfileException(file, instruction.lines().start(), e.getMessage());
    }
  }

  /** A redefined name moves to the end: RUN sees the variables in the order they were last set. */
  private static void put(Map<String, String> map, String key, String value) {
    map.remove(key);
    map.put(key, value);
  }

  /** The Env of the image config: the base's and ENV's. */
  public Map<String, String> configEnv() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(configEnv));
  }

  /** The environment a RUN sees: the config's Env and the ARG values, in the order they came. */
  public Map<String, String> runEnv() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(visible));
  }

  /** The declared ARGs with a value (for RUN's cache key and history). */
  public Map<String, String> argValues() {
    return Collections.unmodifiableMap(withoutNulls(args));
  }

  private static Map<String, String> withoutNulls(Map<String, String> map) {
    Map<String, String> out = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      if (v != null) {
        out.put(k, v);
      }
    });
    return out;
  }
}
