package org.jocker.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jocker.build.dockerfile.CommandLine.ExecForm;
import org.jocker.build.dockerfile.CommandLine.ShellForm;
import org.jocker.build.dockerfile.FileTransfer.Source;
import org.jocker.build.dockerfile.Instruction.ArgDeclaration;
import org.jocker.build.dockerfile.Instruction.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Dockerfile language: lines, directives, forms, heredocs, every instruction, errors. */
class DockerfileParserTest {

  private static List<Instruction> parse(String text) {
    return DockerfileParser.parse("Dockerfile", text).instructions();
  }

  private static Instruction only(String text) {
    List<Instruction> all = parse(text);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  // --- lines ------------------------------------------------------------------------------------

  @Test
  void continuationsJoinKeepingTheNextLinesLeadingBlanks() {
    var run = (Instruction.Run) only("RUN echo a \\\n    b \\  \t\n c\n");
    assertThat(run.command()).isEqualTo(new ShellForm("echo a     b  c"));
    assertThat(run.lines().start()).isEqualTo(1);
    assertThat(run.lines().end()).isEqualTo(3);
  }

  @Test
  void commentsAreDroppedAlsoInsideAContinuation() {
    List<Instruction> all = parse("# a comment\nFROM alpine\n  # indented comment\nRUN echo c\\\n# c\nd\n");
    assertThat(all).hasSize(2);
    assertThat(((Instruction.Run) all.get(1)).command()).isEqualTo(new ShellForm("echo cd"));
    assertThat(all.get(1).lines().start()).isEqualTo(4);
  }

  @Test
  void aHashInsideALineIsAnArgument() {
    var run = (Instruction.Run) only("RUN echo hello # not a comment");
    assertThat(run.command()).isEqualTo(new ShellForm("echo hello # not a comment"));
  }

  @Test
  void anEmptyContinuationLineIsSkippedWithAWarning() {
    Dockerfile df = DockerfileParser.parse("Dockerfile", "FROM a\nRUN echo a \\\n\nb\n");
    assertThat(((Instruction.Run) df.instructions().get(1)).command()).isEqualTo(new ShellForm("echo a b"));
    assertThat(df.warnings()).singleElement().satisfies(w -> {
      assertThat(w.line()).isEqualTo(3);
      assertThat(w.message()).startsWith("Empty continuation line found in: RUN echo a");
    });
  }

  @Test
  void anEscapedEscapeAtTheEndDoesNotContinue() {
    List<Instruction> all = parse("RUN echo a\\\\\nRUN echo b");
    assertThat(all).hasSize(2);
    assertThat(((Instruction.Run) all.get(0)).command()).isEqualTo(new ShellForm("echo a\\\\"));
  }

  @Test
  void crlfLineEndingsAndAByteOrderMarkAreAccepted() {
    List<Instruction> all = parse("\uFEFFFROM alpine\r\nRUN echo \\\r\n hi\r\n");
    assertThat(((Instruction.Run) all.get(1)).command()).isEqualTo(new ShellForm("echo  hi"));
  }

  @Test
  void instructionsAreCaseInsensitive() {
    assertThat(only("from Alpine as Build")).isEqualTo(new Instruction.From(
        new SourceLines(1, 1, "from Alpine as Build"), "Alpine", Optional.empty(), Optional.of("build")));
  }

  // --- directives -------------------------------------------------------------------------------

  @Test
  void directivesAtTheTopAreRead() {
    Dockerfile df = DockerfileParser.parse("Dockerfile",
        "# syntax=docker/dockerfile:1\n  # ESCAPE = `\n#check=skip=JSONArgsRecommended\nFROM a\nRUN echo a `\n b\\c\n");
    assertThat(df.directives().syntax()).contains("docker/dockerfile:1");
    assertThat(df.directives().escape()).isEqualTo('`');
    assertThat(df.directives().check()).contains("skip=JSONArgsRecommended");
    assertThat(((Instruction.Run) df.instructions().get(1)).command()).isEqualTo(new ShellForm("echo a  b\\c"));
  }

  @Test
  void directivesAfterACommentABlankLineOrAnInstructionAreComments() {
    for (String text : List.of("# about\n# escape=`\nFROM a\n", "\n# escape=`\nFROM a\n",
        "FROM a\n# escape=`\n", "# unknown=1\n# escape=`\nFROM a\n", "#!/usr/bin/env docker\n# escape=`\nFROM a\n")) {
      assertThat(DockerfileParser.parse("Dockerfile", text).directives().escape()).as(text).isEqualTo('\\');
    }
  }

  @Test
  void directiveErrors() {
    assertError("# escape=x\nFROM a\n", 1, "invalid escape token 'x' does not match ` or \\");
    assertError("# escape=\\\n# escape=`\nFROM a\n", 2, "only one escape parser directive can be used");
  }

  // --- forms ------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      "CMD [\"echo\", \"hi\"]             | exec  | echo,hi",
      "CMD [ \"echo\" ,\"a b\" ]         | exec  | echo,a b",
      "CMD []                            | exec  | ~~",
      "CMD [\"echo\",\"hi\"] # c         | shell | [\"echo\",\"hi\"] # c",
      "ENTRYPOINT ['a','b']              | shell | ['a','b']",
      "RUN [\"c:\\x\"]                   | shell | [\"c:\\x\"]",
      "RUN [\"a\",                       | shell | [\"a\",",
      "CMD echo $HOME                    | shell | echo $HOME",
  })
  void jsonFormOrShellForm(String line, String form, String expected) {
    CommandLine command = switch (only(line)) {
      case Instruction.Cmd c -> c.command();
      case Instruction.Entrypoint e -> e.command();
      case Instruction.Run r -> r.command();
      default -> throw new AssertionError();
    };
    if (form.equals("exec")) {
      assertThat(command).isEqualTo(new ExecForm(expected.isEmpty() ? List.of() : List.of(expected.split(","))));
    } else {
      assertThat(command).isEqualTo(new ShellForm(expected));
    }
  }

  @Test
  void aJsonArrayOfNonStringsIsAnError() {
    assertError("FROM a\nCMD [\"a\", 1]", 2, "when using JSON array syntax, arrays must be comprised of strings only");
  }

  // --- heredocs ---------------------------------------------------------------------------------

  @Test
  void runWithAHeredoc() {
    var run = (Instruction.Run) parse("FROM a\nRUN <<EOF\napt-get update\n# kept: not a comment\nEOF\nRUN echo done\n").get(1);
    assertThat(run.command()).isEqualTo(new ShellForm("<<EOF"));
    assertThat(run.heredocs()).containsExactly(new Heredoc("EOF", "apt-get update\n# kept: not a comment\n", true, false));
    assertThat(run.lines().start()).isEqualTo(2);
    assertThat(run.lines().end()).isEqualTo(5);
  }

  @Test
  void chompedHeredocsLoseLeadingTabsAndQuotedDelimitersStopExpansion() {
    var run = (Instruction.Run) only("RUN <<-'END' bash\n\techo $HOME\n\t\tmore\n\tEND\n");
    assertThat(run.heredocs()).containsExactly(new Heredoc("END", "echo $HOME\nmore\n", false, true));
    var quoted = (Instruction.Run) only("RUN <<\"E\"OF cat\nx\nEOF\n");
    assertThat(quoted.heredocs()).containsExactly(new Heredoc("EOF", "x\n", false, false));
  }

  @Test
  void severalHeredocsOnOneLine() {
    var run = (Instruction.Run) only("RUN <<FILE1 cat > file1 && <<FILE2 cat > file2\nI am\nfirst\nFILE1\nI am\nsecond\nFILE2\n");
    assertThat(run.heredocs()).extracting(Heredoc::name, Heredoc::content)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("FILE1", "I am\nfirst\n"),
            org.assertj.core.groups.Tuple.tuple("FILE2", "I am\nsecond\n"));
  }

  @Test
  void copyOfAHeredoc() {
    var copy = (Instruction.Copy) only("COPY --chmod=755 <<EOF /app/run.sh\n#!/bin/sh\necho $X\nEOF\n");
    assertThat(copy.transfer().sources()).containsExactly(
        new Source.Inline(new Heredoc("EOF", "#!/bin/sh\necho $X\n", true, false)));
    assertThat(copy.transfer().destination()).isEqualTo("/app/run.sh");
    assertThat(copy.transfer().chmod()).contains("755");
  }

  @Test
  void theReferencesHeredocExamples() {
    List<Instruction> all = parse("""
        FROM nginx
        RUN <<EOT bash
          set -ex
          apt-get update
        EOT
        RUN python3 <<EOF
        with open("/hello", "w") as f:
            print("Hello", file=f)
        EOF
        COPY <<robots.txt <<humans.txt /usr/share/nginx/html/
        (robots content)
        robots.txt
        (humans content)
        humans.txt
        ADD <<-"EOT" /script.sh
        	#!/bin/sh
        	echo "hello ${FOO}"
        	EOT
        """);
    assertThat(all).hasSize(5);
    var bash = (Instruction.Run) all.get(1);
    assertThat(bash.command()).isEqualTo(new ShellForm("<<EOT bash"));
    assertThat(bash.heredocs().get(0).content()).isEqualTo("  set -ex\n  apt-get update\n");
    var python = (Instruction.Run) all.get(2);
    assertThat(python.heredocs().get(0).content()).isEqualTo("with open(\"/hello\", \"w\") as f:\n    print(\"Hello\", file=f)\n");
    var copy = (Instruction.Copy) all.get(3);
    assertThat(copy.transfer().sources()).containsExactly(
        new Source.Inline(new Heredoc("robots.txt", "(robots content)\n", true, false)),
        new Source.Inline(new Heredoc("humans.txt", "(humans content)\n", true, false)));
    assertThat(copy.transfer().destination()).isEqualTo("/usr/share/nginx/html/");
    var add = (Instruction.Add) all.get(4);
    assertThat(add.transfer().sources()).containsExactly(
        new Source.Inline(new Heredoc("EOT", "#!/bin/sh\necho \"hello ${FOO}\"\n", false, true)));
    assertThat(add.lines().end()).isEqualTo(18);
  }

  @Test
  void heredocsAreNotReadInJsonFormOrWhereDockerHasNone() {
    var run = (Instruction.Run) only("RUN [\"cat\", \"<<EOF\"]");
    assertThat(run.heredocs()).isEmpty();
    assertThat(parse("FROM a\nRUN cat<<EOF\n")).hasSize(2);
    assertError("FROM a\nCMD <<EOF\nx\nEOF\n", 3, "unknown instruction: x");
  }

  @Test
  void heredocErrors() {
    assertError("FROM a\nRUN <<EOF\nnever ends\n", 2, "unterminated heredoc");
    assertError("FROM a\nCOPY <<EOF <<DST\nx\nEOF\ny\nDST\n", 2, "COPY cannot accept a heredoc as destination");
  }

  // --- instructions -----------------------------------------------------------------------------

  @Test
  void from() {
    var from = (Instruction.From) only("FROM --platform=$BUILDPLATFORM golang:1.22 AS Builder");
    assertThat(from.image()).isEqualTo("golang:1.22");
    assertThat(from.platform()).contains("$BUILDPLATFORM");
    assertThat(from.stageName()).contains("builder");
    assertThat(((Instruction.From) only("FROM scratch")).stageName()).isEmpty();
    assertError("FROM a b", 1, "FROM requires either one or three arguments");
    assertError("FROM a is b", 1, "FROM requires either one or three arguments");
    assertError("FROM a AS 1st", 1, "invalid name for build stage: \"1st\", name can't start with a number or contain symbols");
    assertError("FROM --plat=x a", 1, "unknown flag: --plat");
  }

  @Test
  void runFlags() {
    var run = (Instruction.Run) only("RUN --mount=type=cache,target=/root/.cache,sharing=locked,id=pip "
        + "--mount=type=bind,from=build,source=/out,target=/in "
        + "--mount=type=tmpfs,target=/tmp,size=64m "
        + "--mount=type=secret,id=token,required=true "
        + "--mount=type=secret,id=aws,target=/root/.aws/credentials,mode=0440,uid=1000 "
        + "--mount=type=ssh "
        + "--mount=target=/src,rw "
        + "--network=none --security=insecure --device=vendor.com/gpu=0 pip install -r requirements.txt");
    assertThat(run.mounts()).containsExactly(
        new Mount.Cache("/root/.cache", "pip", Mount.Sharing.LOCKED, Optional.empty(), "/", false, 0755, 0, 0),
        new Mount.Bind("/in", "/out", Optional.of("build"), false),
        new Mount.Tmpfs("/tmp", 64L << 20),
        new Mount.Secret("/run/secrets/token", "token", Optional.empty(), true, 0400, 0, 0),
        new Mount.Secret("/root/.aws/credentials", "aws", Optional.empty(), false, 0440, 1000, 0),
        new Mount.Ssh("/run/buildkit/ssh_agent.0", "default", false, 0600, 0, 0),
        new Mount.Bind("/src", "/", Optional.empty(), true));
    assertThat(run.network()).contains("none");
    assertThat(run.security()).contains("insecure");
    assertThat(run.devices()).containsExactly("vendor.com/gpu=0");
    assertThat(run.command()).isEqualTo(new ShellForm("pip install -r requirements.txt"));
  }

  @Test
  void cacheMountIdDefaultsToItsTargetAndSecretIdToTheTargetsName() {
    var run = (Instruction.Run) only("RUN --mount=type=cache,dst=/var/cache/apt --mount=type=secret,target=/k/key,env=KEY true");
    assertThat(((Mount.Cache) run.mounts().get(0)).id()).isEqualTo("/var/cache/apt");
    assertThat(run.mounts().get(1)).isEqualTo(new Mount.Secret("/k/key", "key", Optional.of("KEY"), false, 0400, 0, 0));
  }

  @Test
  void mountErrors() {
    assertError("RUN --mount=type=nfs,target=/x true", 1, "unsupported mount type \"nfs\"");
    assertError("RUN --mount=type=cache true", 1, "mount target is required");
    assertError("RUN --mount=type=tmpfs,target=/x,id=a true", 1, "unexpected key 'id' for mount type tmpfs");
    assertError("RUN --mount=type=cache,target=/x,sharing=all true", 1, "unsupported sharing value \"all\"");
    assertError("RUN --mount=type=bind,target=/x,from=$STAGE true", 1, "'from' doesn't support variable expansion, define alias stage instead");
    assertError("RUN --network=bridge true", 1, "unsupported network mode \"bridge\"");
    assertError("RUN --mount true", 1, "missing a value on flag: --mount");
  }

  @Test
  void envInBothForms() {
    var env = (Instruction.Env) only("ENV MY_NAME=\"John Doe\" MY_DOG=Rex\\ The\\ Dog \\\n    MY_CAT=fluffy");
    assertThat(env.pairs()).containsExactly(new KeyValue("MY_NAME", "\"John Doe\""),
        new KeyValue("MY_DOG", "Rex\\ The\\ Dog"), new KeyValue("MY_CAT", "fluffy"));
    assertThat(env.legacy()).isFalse();
    var legacy = (Instruction.Env) only("ENV MY_VAR my-value with spaces");
    assertThat(legacy.pairs()).containsExactly(new KeyValue("MY_VAR", "my-value with spaces"));
    assertThat(legacy.legacy()).isTrue();
    assertThat(DockerfileParser.parse("Dockerfile", "FROM a\nENV A b\nLABEL c d\n").warnings())
        .extracting(Warning::line, Warning::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2, "\"ENV key=value\" should be used instead of legacy \"ENV key value\" format"),
            org.assertj.core.groups.Tuple.tuple(3, "\"LABEL key=value\" should be used instead of legacy \"LABEL key value\" format"));
    assertError("ENV ONLY", 1, "ENV must have two arguments");
    assertError("ENV A=1 B", 1, "Syntax error - can't find = in \"B\". Must be of the form: name=value");
    assertError("ENV", 1, "ENV requires at least one argument");
  }

  @Test
  void labelArgExposeVolume() {
    var label = (Instruction.Label) only("LABEL \"com.example.vendor\"=\"ACME Inc\" version=1.0 description=\"multi\\\nline\"");
    assertThat(label.pairs()).extracting(KeyValue::key).containsExactly("\"com.example.vendor\"", "version", "description");
    var arg = (Instruction.Arg) only("ARG user1=someuser buildno=1 plain");
    assertThat(arg.declarations()).containsExactly(new ArgDeclaration("user1", Optional.of("someuser")),
        new ArgDeclaration("buildno", Optional.of("1")), new ArgDeclaration("plain", Optional.empty()));
    assertThat(((Instruction.Expose) only("EXPOSE 80/tcp 80/udp $PORT")).ports()).containsExactly("80/tcp", "80/udp", "$PORT");
    assertThat(((Instruction.Volume) only("VOLUME [\"/data\", \"/var/log\"]")).paths()).containsExactly("/data", "/var/log");
    assertThat(((Instruction.Volume) only("VOLUME /data /logs")).paths()).containsExactly("/data", "/logs");
    assertError("VOLUME [\"\"]", 1, "VOLUME specified can not be an empty string");
  }

  @Test
  void singleArgumentInstructionsTakeTheRestOfTheLine() {
    assertThat(((Instruction.Workdir) only("WORKDIR /path/to dir")).path()).isEqualTo("/path/to dir");
    assertThat(((Instruction.User) only("USER patrick:staff")).user()).isEqualTo("patrick:staff");
    assertThat(((Instruction.StopSignal) only("STOPSIGNAL SIGKILL")).signal()).isEqualTo("SIGKILL");
    Dockerfile df = DockerfileParser.parse("Dockerfile", "FROM a\nMAINTAINER Jo <jo@example.com>\n");
    assertThat(((Instruction.Maintainer) df.instructions().get(1)).name()).isEqualTo("Jo <jo@example.com>");
    assertThat(df.warnings()).extracting(Warning::line).containsExactly(2);
    assertError("FROM a\nWORKDIR", 2, "WORKDIR requires at least one argument");
  }

  @Test
  void copyAndAdd() {
    var copy = (Instruction.Copy) only("COPY --from=build --chown=10:11 --chmod=644 --link --exclude=*.tmp --exclude=.git --parents a/./b c /dst/");
    assertThat(copy.from()).contains("build");
    assertThat(copy.parents()).isTrue();
    assertThat(copy.transfer()).isEqualTo(new FileTransfer(List.of(new Source.Path("a/./b"), new Source.Path("c")),
        "/dst/", Optional.of("10:11"), Optional.of("644"), true, List.of("*.tmp", ".git")));
    var quoted = (Instruction.Copy) only("COPY --chown=\"app user\" -- --odd-name /dst");
    assertThat(quoted.transfer().chown()).contains("app user");
    assertThat(quoted.transfer().sources()).containsExactly(new Source.Path("--odd-name"));
    var json = (Instruction.Copy) only("COPY [\"a file\", \"/with space/\"]");
    assertThat(json.transfer().sources()).containsExactly(new Source.Path("a file"));
    assertThat(json.transfer().destination()).isEqualTo("/with space/");
    var add = (Instruction.Add) only("ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d --keep-git-dir --unpack=false https://example.com/a.tar.gz /");
    assertThat(add.checksum()).contains("sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d");
    assertThat(add.keepGitDir()).isTrue();
    assertThat(add.unpack()).contains(false);
    assertError("COPY a", 1, "COPY requires at least two arguments, but only one was provided. Destination could not be determined");
    assertError("ADD --from=x a b", 1, "unknown flag: --from");
    assertError("COPY --link=maybe a b", 1, "expecting boolean value for flag link, not: maybe");
    assertError("COPY --chown=a --chown=b a b", 1, "duplicate flag specified: --chown");
    assertError("COPY --from=$STAGE a b", 1, "variable expansion is not supported for --from, define a new stage"
        + " with FROM using ARG from global scope as a workaround");
  }

  @Test
  void shell() {
    assertThat(((Instruction.Shell) only("SHELL [\"powershell\", \"-command\"]")).command())
        .containsExactly("powershell", "-command");
    assertError("SHELL /bin/bash -c", 1, "SHELL requires the arguments to be in JSON form");
  }

  @Test
  void healthcheck() {
    var none = (Instruction.Healthcheck) only("HEALTHCHECK NONE");
    assertThat(none.test()).containsExactly("NONE");
    var check = (Instruction.Healthcheck) only(
        "HEALTHCHECK --interval=5m --timeout=3s --start-period=1m30s --start-interval=500ms --retries=4 \\\n  CMD curl -f http://localhost/ || exit 1");
    assertThat(check.test()).containsExactly("CMD-SHELL", "curl -f http://localhost/ || exit 1");
    assertThat(check.interval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(check.startPeriod()).isEqualTo(Duration.ofSeconds(90));
    assertThat(check.startInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(check.retries()).isEqualTo(4);
    var exec = (Instruction.Healthcheck) only("HEALTHCHECK cmd [\"/bin/check\", \"-q\"]");
    assertThat(exec.test()).containsExactly("CMD", "/bin/check", "-q");
    assertThat(exec.interval()).isZero();
    assertError("HEALTHCHECK NONE extra", 1, "HEALTHCHECK NONE takes no arguments");
    assertError("HEALTHCHECK --retries=2 NONE", 1, "HEALTHCHECK NONE takes no arguments");
    assertError("HEALTHCHECK RUN x", 1, "Unknown type \"RUN\" in HEALTHCHECK (try CMD)");
    assertError("HEALTHCHECK CMD", 1, "Missing command after HEALTHCHECK CMD");
    assertError("HEALTHCHECK --interval=5 CMD x", 1, "time: invalid duration \"5\"");
    assertError("HEALTHCHECK --interval=1us CMD x", 1, "Interval \"interval\" cannot be less than 1ms");
    assertError("HEALTHCHECK --retries=-1 CMD x", 1, "--retries cannot be negative (-1)");
  }

  @Test
  void onbuild() {
    var onbuild = (Instruction.OnBuild) only("ONBUILD RUN /usr/local/bin/python-build --dir /app/src");
    assertThat(onbuild.triggerText()).isEqualTo("RUN /usr/local/bin/python-build --dir /app/src");
    assertThat(((Instruction.Run) onbuild.trigger()).command())
        .isEqualTo(new ShellForm("/usr/local/bin/python-build --dir /app/src"));
    var heredoc = (Instruction.OnBuild) only("ONBUILD COPY <<EOF /x\nhi\nEOF\n");
    assertThat(((Instruction.Copy) heredoc.trigger()).transfer().sources()).hasSize(1);
    assertError("ONBUILD ONBUILD RUN x", 1, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    assertError("ONBUILD FROM x", 1, "FROM isn't allowed as an ONBUILD trigger");
    assertError("ONBUILD MAINTAINER x", 1, "MAINTAINER isn't allowed as an ONBUILD trigger");
  }

  @Test
  void unknownInstructionsAreSuggestedACloseOne() {
    assertError("FROM a\n\nFRO b", 3, "unknown instruction: FRO (did you mean from?)");
    assertError("FROM a\nCOPPY a b", 2, "unknown instruction: COPPY (did you mean copy?)");
    assertError("FROM a\nXYZZY", 2, "unknown instruction: XYZZY");
  }

  @Test
  void aLineOverDockersLimitIsRefused() {
    assertError("FROM a\nRUN echo " + "x".repeat(65_535) + "\n", 2,
        "dockerfile line greater than max allowed size of 65535");
  }

  @Test
  void anEmptyDockerfileIsRefused() {
    assertError("# only a comment\n\n", 1, "the Dockerfile cannot be empty");
  }

  @Test
  void theErrorNamesTheFileAndLine() {
    assertThatThrownBy(() -> DockerfileParser.parse("app/web.Dockerfile", "FROM a\nBOGUS x"))
        .isInstanceOf(DockerfileException.class)
        .hasMessage("app/web.Dockerfile:2: unknown instruction: BOGUS");
  }

  private static void assertError(String text, int line, String detail) {
    assertThatThrownBy(() -> DockerfileParser.parse("Dockerfile", text))
        .isInstanceOfSatisfying(DockerfileException.class, e -> {
          assertThat(e.detail()).isEqualTo(detail);
          assertThat(e.line()).isEqualTo(line);
          assertThat(e.file()).isEqualTo("Dockerfile");
        });
  }
}
