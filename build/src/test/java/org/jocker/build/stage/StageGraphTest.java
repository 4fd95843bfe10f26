package org.jocker.build.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jocker.build.dockerfile.DockerfileException;
import org.jocker.build.dockerfile.DockerfileParser;
import org.junit.jupiter.api.Test;

/** Stages, their bases, what --target needs, and FROM lines against the global ARGs. */
class StageGraphTest {
  private static final Platforms AMD64 = new Platforms("linux/amd64", "linux/arm64/v8");

  private static StageGraph graph(String text, Map<String, String> buildArgs, String target) {
    return StageGraph.of(DockerfileParser.parse("Dockerfile", text), buildArgs, AMD64, target);
  }

  private static StageGraph graph(String text) {
    return graph(text, Map.of(), null);
  }

  @Test
  void globalArgsExpandInFromLines() {
    // The reference's example: one ARG before FROM, used by two stages.
    StageGraph g = graph("ARG  CODE_VERSION=latest\nFROM base:${CODE_VERSION}\nCMD  /code/run-app\n"
        + "FROM extras:${CODE_VERSION}\nCMD  /code/run-extras\n");
    assertThat(g.stages()).extracting(Stage::image).containsExactly("base:latest", "extras:latest");
    assertThat(graph("ARG V=1\nFROM a:$V", Map.of("V", "2"), null).stages().get(0).image()).isEqualTo("a:2");
  }

  @Test
  void automaticPlatformArgsAreGlobal() {
    Stage s = graph("FROM --platform=$BUILDPLATFORM golang AS build\nFROM alpine:$TARGETARCH").stages().get(0);
    assertThat(s.platform()).contains("linux/amd64");
    assertThat(graph("FROM img-$TARGETOS-$TARGETARCH-$TARGETVARIANT").stages().get(0).image())
        .isEqualTo("img-linux-arm64-v8");
  }

  @Test
  void basesAreEarlierStagesScratchOrImages() {
    StageGraph g = graph("FROM alpine AS base\nFROM base AS build\nFROM scratch\nFROM later\nFROM x AS later");
    assertThat(g.stages()).extracting(Stage::base).containsExactly(
        new Base.OfImage("alpine"), new Base.OfStage(0), new Base.Scratch(), new Base.OfImage("later"),
        new Base.OfImage("x"));
  }

  @Test
  void theTargetNeedsItsBaseChainAndWhatItCopiesFrom() {
    String text = """
        FROM alpine AS base
        FROM base AS build
        RUN make
        FROM alpine AS docs
        RUN --mount=type=bind,from=build,target=/b true
        FROM alpine AS tools
        FROM busybox
        COPY --from=build /out /out
        COPY --from=3 /bin/tool /bin/
        COPY --from=nginx:latest /etc/nginx/nginx.conf /etc/
        """;
    StageGraph g = graph(text);
    assertThat(g.needed(null)).extracting(Stage::index).containsExactly(0, 1, 3, 4);
    assertThat(g.needed("docs")).extracting(Stage::displayName).containsExactly("base", "build", "docs");
    assertThat(g.needed("TOOLS")).extracting(Stage::displayName).containsExactly("tools");
    assertThat(g.stages().get(4).dependsOn()).containsExactly(1, 3);
    assertThatThrownBy(() -> g.needed("nope"))
        .isInstanceOf(StageNotFoundException.class)
        .hasMessage("target stage \"nope\" could not be found");
  }

  @Test
  void aDuplicateNameBindsTheLatestEarlierStage() {
    StageGraph g = graph("FROM a AS x\nFROM b AS x\nFROM x\nCOPY --from=x / /");
    assertThat(g.stages().get(2).base()).isEqualTo(new Base.OfStage(1));
    assertThat(g.target("x").index()).isEqualTo(1);
  }

  @Test
  void referencesToTheCurrentOrALaterStageAreRefused() {
    assertError("FROM a AS one\nCOPY --from=two / /\nFROM b AS two", 2,
        "cannot copy from stage \"two\", it needs to be defined before current stage \"one\"");
    assertError("FROM a AS one\nCOPY --from=one / /", 2,
        "cannot copy from stage \"one\", it needs to be defined before current stage \"one\"");
    assertError("FROM a\nCOPY --from=0 / /", 2,
        "cannot copy from stage \"0\", it needs to be defined before current stage \"0\"");
    assertError("FROM a\nFROM b\nCOPY --from=2 / /", 3, "invalid stage index 2");
  }

  @Test
  void onlyArgMayComeBeforeFrom() {
    assertError("ARG A\nRUN true\nFROM a", 2, "no build stage in current context");
    assertError("ARG A", 1, "dockerfile contains no stages to build");
    assertError("ARG A=\nFROM $A", 2, "base name ($A) should not be blank");
    assertError("ARG V\nFROM a:${V:?required}", 2, "V: required");
  }

  private static void assertError(String text, int line, String detail) {
    assertThatThrownBy(() -> graph(text))
        .isInstanceOfSatisfying(DockerfileException.class, e -> {
          assertThat(e.detail()).isEqualTo(detail);
          assertThat(e.line()).isEqualTo(line);
        });
  }

  @Test
  void stagesKeepTheirInstructionsAfterFrom() {
    Stage s = graph("FROM a AS x\nRUN one\nRUN two").stages().get(0);
    assertThat(s.instructions()).hasSize(2);
    assertThat(s.name()).isEqualTo(Optional.of("x"));
    assertThat(s.from().lines().start()).isEqualTo(1);
    assertThat(List.of(s.instructions().get(1).lines().start())).containsExactly(3);
  }
}
