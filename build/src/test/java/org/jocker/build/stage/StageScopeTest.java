package org.jocker.build.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jocker.build.dockerfile.Dockerfile;
import org.jocker.build.dockerfile.DockerfileException;
import org.jocker.build.dockerfile.DockerfileParser;
import org.jocker.build.dockerfile.FileTransfer.Source;
import org.jocker.build.dockerfile.Heredoc;
import org.jocker.build.dockerfile.Instruction;
import org.jocker.build.dockerfile.Mount;
import org.jocker.build.shell.ShellLexer;
import org.junit.jupiter.api.Test;

/**
 * ARG and ENV scoping, and which instructions expand, with the Dockerfile reference's examples:
 * each test dispatches a stage's ARG and ENV lines the way the executor will, and records what
 * the other instructions expand to.
 */
class StageScopeTest {

  /** The stage's instructions after expansion, ARG and ENV applied to the scope as they come. */
  private record Dispatched(List<Instruction> instructions, StageScope scope) {}

  private static Dispatched dispatch(String text, Map<String, String> buildArgs) {
    Dockerfile df = DockerfileParser.parse("Dockerfile", text);
    StageGraph graph = StageGraph.of(df, buildArgs, new Platforms("linux/amd64", "linux/amd64"), null);
    StageScope scope = graph.scopeFor(Map.of("PATH", "/usr/bin:/bin"), buildArgs);
    InstructionExpander expander = new InstructionExpander("Dockerfile", new ShellLexer(df.directives().escape()));
    List<Instruction> out = new ArrayList<>();
    for (Instruction instruction : graph.stages().getLast().instructions()) {
      Instruction expanded = expander.expand(instruction, scope.variables());
      switch (instruction) {
        case Instruction.Arg arg -> scope.declare(arg);
        case Instruction.Env env -> scope.setEnv(env);
        default -> {}
      }
      out.add(expanded);
    }
    return new Dispatched(out, scope);
  }

  private static String user(Dispatched d, int index) {
    return ((Instruction.User) d.instructions().get(index)).user();
  }

  @Test
  void anArgIsUsableFromTheLineAfterItsDeclaration() {
    String text = "FROM busybox\nUSER ${username:-some_user}\nARG username\nUSER $username\n";
    Dispatched d = dispatch(text, Map.of("username", "what_user"));
    assertThat(user(d, 0)).isEqualTo("some_user");
    assertThat(user(d, 2)).isEqualTo("what_user");
  }

  @Test
  void envOverridesAnArgOfTheSameName() {
    String text = "FROM ubuntu\nARG CONT_IMG_VER\nENV CONT_IMG_VER=v1.0.0\nUSER $CONT_IMG_VER\n";
    assertThat(user(dispatch(text, Map.of("CONT_IMG_VER", "v2.0.1")), 2)).isEqualTo("v1.0.0");
    String defaulted = "FROM ubuntu\nARG CONT_IMG_VER\nENV CONT_IMG_VER=${CONT_IMG_VER:-v1.0.0}\nUSER $CONT_IMG_VER\n";
    assertThat(user(dispatch(defaulted, Map.of()), 2)).isEqualTo("v1.0.0");
    assertThat(user(dispatch(defaulted, Map.of("CONT_IMG_VER", "v2.0.1")), 2)).isEqualTo("v2.0.1");
  }

  @Test
  void anArgAfterAnEnvReSetsItForRunButNotInTheConfig() {
    // BuildKit's code: ENV and valued ARGs in order, the later wins; only ENV reaches the config.
    Dispatched d = dispatch("FROM ubuntu\nENV V=env\nARG V=arg\nUSER $V\n", Map.of());
    assertThat(user(d, 2)).isEqualTo("arg");
    assertThat(d.scope().configEnv()).containsEntry("V", "env");
    assertThat(d.scope().runEnv()).containsEntry("V", "arg");
  }

  @Test
  void anEnvSetAgainKeepsItsPlaceInTheConfig() {
    // BuildKit's addEnv replaces the value where the name first came (Buildah's Env agrees)
    Dispatched d = dispatch("FROM a\nENV A=1 B=2\nENV A=3\n", Map.of());
    assertThat(d.scope().configEnv()).containsExactly(Map.entry("PATH", "/usr/bin:/bin"), Map.entry("A", "3"),
        Map.entry("B", "2"));
  }

  @Test
  void runSeesTheBaseEnvThenEnvAndArgsInOrder() {
    Dispatched d = dispatch("FROM a\nARG A=1\nENV B=2\nARG C\nENV PATH=/x:$PATH\n", Map.of());
    assertThat(d.scope().runEnv()).containsExactly(Map.entry("A", "1"), Map.entry("B", "2"),
        Map.entry("PATH", "/x:/usr/bin:/bin"));
    assertThat(d.scope().configEnv()).containsOnlyKeys("B", "PATH");
    assertThat(d.scope().argValues()).containsOnlyKeys("A");
  }

  @Test
  void aGlobalArgReachesAStageOnlyWhenRedeclared() {
    String text = "ARG VERSION=latest\nFROM busybox:$VERSION\nUSER x$VERSION\nARG VERSION\nUSER x$VERSION\n";
    Dispatched d = dispatch(text, Map.of());
    assertThat(user(d, 0)).isEqualTo("x");
    assertThat(user(d, 2)).isEqualTo("xlatest");
    assertThat(d.scope().argValues()).containsEntry("VERSION", "latest");
  }

  @Test
  void automaticArgsAreDeclaredLikeGlobalOnes() {
    Dispatched d = dispatch("FROM a\nUSER [$TARGETARCH]\nARG TARGETARCH\nARG TARGETOS\nUSER $TARGETOS/$TARGETARCH\n", Map.of());
    assertThat(user(d, 0)).isEqualTo("[]");
    assertThat(user(d, 3)).isEqualTo("linux/amd64");
  }

  @Test
  void aBuildArgWinsAndItsDefaultIsThenNotEvaluated() {
    String text = "FROM a\n\nARG NEED=${MISSING:?unset}\nUSER $NEED\n";
    assertThat(user(dispatch(text, Map.of("NEED", "given")), 1)).isEqualTo("given");
    assertThatThrownBy(() -> dispatch(text, Map.of()))
        .isInstanceOf(DockerfileException.class)
        .hasMessage("Dockerfile:3: MISSING: unset");
  }

  @Test
  void undeclaredBuildArgsReachNothing() {
    Dispatched d = dispatch("FROM a\nUSER x$SECRET\n", Map.of("SECRET", "s"));
    assertThat(user(d, 0)).isEqualTo("x");
  }

  @Test
  void oneEnvLineSeesTheValuesBeforeIt() {
    // The reference: ENV abc=hello, then ENV abc=bye def=$abc gives def=hello.
    Dispatched d = dispatch("FROM a\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n", Map.of());
    assertThat(d.scope().configEnv()).containsEntry("abc", "bye").containsEntry("def", "hello")
        .containsEntry("ghi", "bye").containsEntry("PATH", "/usr/bin:/bin");
  }

  @Test
  void envValuesLoseTheirQuotesAndEscapes() {
    Dispatched d = dispatch("FROM a\nENV MY_NAME=\"John Doe\" MY_DOG=Rex\\ The\\ Dog\nENV LEGACY value with $MY_DOG\n", Map.of());
    assertThat(d.scope().configEnv()).containsEntry("MY_NAME", "John Doe").containsEntry("MY_DOG", "Rex The Dog")
        .containsEntry("LEGACY", "value with Rex The Dog");
  }

  @Test
  void whatExpandsAndWhatDoesNot() {
    String text = """
        FROM a
        ARG D=/srv U=app P=8080 C=sha256:abc M=/cache
        WORKDIR $D/app
        USER $U
        EXPOSE $P "9090 9091"
        VOLUME ["$D/data"]
        STOPSIGNAL ${SIG:-SIGTERM}
        LABEL "dir"=$D
        COPY --chown=$U --chmod=644 src/$U $D/
        ADD --checksum=$C https://example.com/f $D/
        RUN --mount=type=cache,target=$M,id=c-$U echo $D
        CMD echo $D
        HEALTHCHECK CMD test -d $D
        COPY <<EOF <<'RAW' $D/
        home=$D
        EOF
        home=$D
        RAW
        """;
    List<Instruction> all = dispatch(text, Map.of()).instructions();
    assertThat(((Instruction.Workdir) all.get(1)).path()).isEqualTo("/srv/app");
    assertThat(((Instruction.User) all.get(2)).user()).isEqualTo("app");
    assertThat(((Instruction.Expose) all.get(3)).ports()).containsExactly("8080", "9090", "9091");
    assertThat(((Instruction.Volume) all.get(4)).paths()).containsExactly("/srv/data");
    assertThat(((Instruction.StopSignal) all.get(5)).signal()).isEqualTo("SIGTERM");
    assertThat(((Instruction.Label) all.get(6)).pairs()).singleElement()
        .isEqualTo(new Instruction.KeyValue("dir", "/srv"));
    var copy = ((Instruction.Copy) all.get(7)).transfer();
    assertThat(copy.chown()).contains("app");
    assertThat(copy.sources()).containsExactly(new Source.Path("src/app"));
    assertThat(copy.destination()).isEqualTo("/srv/");
    assertThat(((Instruction.Add) all.get(8)).checksum()).contains("sha256:abc");
    var run = (Instruction.Run) all.get(9);
    assertThat(run.mounts()).singleElement().satisfies(m -> {
      assertThat(m.target()).isEqualTo("/cache");
      assertThat(((Mount.Cache) m).id()).isEqualTo("c-app");
    });
    assertThat(run.command().toString()).contains("echo $D");
    assertThat(all.get(10).toString()).contains("echo $D");
    assertThat(((Instruction.Healthcheck) all.get(11)).test()).containsExactly("CMD-SHELL", "test -d $D");
    var heredocs = ((Instruction.Copy) all.get(12)).transfer().sources();
    assertThat(heredocs).containsExactly(
        new Source.Inline(new Heredoc("EOF", "home=/srv\n", true, false)),
        new Source.Inline(new Heredoc("RAW", "home=$D\n", false, false)));
  }

  @Test
  void anExpansionErrorNamesTheLine() {
    assertThatThrownBy(() -> dispatch("FROM a\n\nWORKDIR ${D:?no dir}\n", Map.of()))
        .isInstanceOfSatisfying(DockerfileException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.getMessage()).isEqualTo("Dockerfile:3: D: no dir");
        });
  }

  @Test
  void aChildScopeInheritsArgsAndEnv() {
    Dispatched d = dispatch("FROM a\nARG A=1\nENV E=2\n", Map.of());
    StageScope child = d.scope().child();
    assertThat(child.variables().valueOf("A")).isEqualTo("1");
    assertThat(child.variables().valueOf("E")).isEqualTo("2");
  }
}
