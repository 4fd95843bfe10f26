package org.jocker.build.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jocker.build.dockerfile.DockerfileException;
import org.jocker.build.dockerfile.FileTransfer;
import org.jocker.build.dockerfile.FileTransfer.Source;
import org.jocker.build.dockerfile.Heredoc;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.build.dockerfile.Instruction.KeyValue;
import org.jocker.build.shell.ExpansionException;
import org.jocker.build.shell.ShellLexer;
import org.jocker.build.shell.Variables;

/**
 * An instruction with its variables expanded, where Docker expands them: ENV and LABEL (keys and
 * values), WORKDIR, USER, VOLUME, STOPSIGNAL, EXPOSE (then split again at whitespace), COPY and ADD
 * (sources, destination, --chown, --chmod, ADD's --checksum, and heredoc bodies whose delimiter
 * was not quoted), RUN's --mount options. RUN's command, CMD, ENTRYPOINT, SHELL, HEALTHCHECK,
 * ONBUILD and MAINTAINER are left to the shell or kept as written; FROM and ARG are the scopes'.
 */
public final class InstructionExpander {
  private final String file;
  private final ShellLexer lexer;

  public InstructionExpander(String file, ShellLexer lexer) {
    this.file = file;
    this.lexer = lexer;
  }

  public Instruction expand(Instruction instruction, Variables variables) {
    try {
      return switch (instruction) {
        case Instruction.Env env ->
            new Instruction.Env(env.lines(), pairs(env.pairs(), variables), env.legacy());
        case Instruction.Label label ->
            new Instruction.Label(label.lines(), pairs(label.pairs(), variables), label.legacy());
        case Instruction.Workdir w -> new Instruction.Workdir(w.lines(), word(w.path(), variables));
        case Instruction.User u -> new Instruction.User(u.lines(), word(u.user(), variables));
        case Instruction.StopSignal s ->
            new Instruction.StopSignal(s.lines(), word(s.signal(), variables));
        case Instruction.Volume v ->
            new Instruction.Volume(v.lines(), v.paths().stream().map(p -> word(p, variables)).toList());
        case Instruction.Expose e -> new Instruction.Expose(e.lines(), e.ports().stream()
            .flatMap(p -> lexer.expandWords(word(p, variables), Variables.NONE).stream())
            .toList());
        case Instruction.Copy c -> new Instruction.Copy(
            c.lines(), transfer(c.transfer(), variables), c.from(), c.parents());
        case Instruction.Add a -> new Instruction.Add(a.lines(), transfer(a.transfer(), variables),
            a.checksum().map(x -> word(x, variables)), a.keepGitDir(), a.unpack());
        case Instruction.Run r -> new Instruction.Run(r.lines(), r.command(), r.heredocs(),
            r.mounts().stream().map(m -> m.expand(x -> word(x, variables))).toList(),
            r.network(), r.security(), r.devices());
        default -> instruction;
      };
    } catch (ExpansionException e) {
      throw new DockerfileException(file, instruction.lines().start(), e.getMessage());
    }
  }

  private String word(String word, Variables variables) {
    return lexer.expandWord(word, variables);
  }

  private List<KeyValue> pairs(List<KeyValue> pairs, Variables variables) {
    return pairs.stream()
        .map(p -> new KeyValue(word(p.key(), variables), word(p.value(), variables)))
        .toList();
  }

  private FileTransfer transfer(FileTransfer t, Variables variables) {
    List<Source> sources = new ArrayList<>();
    for (Source source : t.sources()) {
      sources.add(switch (source) {
        case Source.Path p -> new Source.Path(word(p.path(), variables));
        case Source.Inline(Heredoc h) when h.expand() -> new Source.Inline(
            new Heredoc(h.name(), lexer.expandHeredoc(h.content(), variables), true, h.chomp()));
        case Source.Inline i -> i;
      });
    }
    Optional<String> chown = t.chown().map(x -> word(x, variables));
    Optional<String> chmod = t.chmod().map(x -> word(x, variables));
    return new FileTransfer(sources, word(t.destination(), variables), chown, chmod, t.link(), t.excludes());
  }
}
