package org.jocker.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.engine.container.HostConfig;
import org.jocker.runtime.spec.DefaultSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text of run's options, by Docker's rules, without a container. */
class HostConfigParserTest {
  @TempDir Path tmp;

  @Test
  void sizesUseDockersBinaryUnits() {
    assertThat(HostConfigParser.size("-m", "512")).isEqualTo(512);
    assertThat(HostConfigParser.size("-m", "64k")).isEqualTo(64 * 1024);
    assertThat(HostConfigParser.size("-m", "64m")).isEqualTo(64L << 20);
    assertThat(HostConfigParser.size("-m", "2GB")).isEqualTo(2L << 30);
    assertThat(HostConfigParser.size("-m", "1.5g")).isEqualTo(3L << 29);
    assertThat(HostConfigParser.size("-m", "10MiB")).isEqualTo(10L << 20);
    assertThat(HostConfigParser.size("-m", null)).isNull();
    assertThat(HostConfigParser.swap("--memory-swap", "-1")).isEqualTo(-1);
    assertThatThrownBy(() -> HostConfigParser.size("-m, --memory", "12x"))
        .hasMessage("invalid argument \"12x\" for \"-m, --memory\" flag: invalid size: '12x'");
    assertThat(HostConfigParser.nanoCpus("0.5")).isEqualTo(500_000_000L);
  }

  @Test
  void ulimits() {
    assertThat(HostConfigParser.ulimit("nofile=10:20")).isEqualTo(new HostConfig.Ulimit("nofile", 10, 20));
    assertThat(HostConfigParser.ulimit("nproc=5")).isEqualTo(new HostConfig.Ulimit("nproc", 5, 5));
    assertThat(HostConfigParser.rlimitType("nofile")).isEqualTo("RLIMIT_NOFILE");
    assertThatThrownBy(() -> HostConfigParser.ulimit("nofile=20:10"))
        .hasMessageEndingWith("ulimit soft limit must be less than or equal to hard limit: 20 > 10");
    assertThatThrownBy(() -> HostConfigParser.ulimit("nofile")).hasMessageEndingWith("invalid ulimit argument: nofile");
    assertThatThrownBy(() -> HostConfigParser.ulimit("nofile=x")).hasMessageEndingWith("invalid ulimit value: x");
  }

  @Test
  void mountsAndVolumeSpecs() {
    assertThat(HostConfigParser.mount("type=bind,src=/a,dst=/b,readonly"))
        .isEqualTo(new HostConfig.MountSpec("bind", "/a", "/b", true, null, null, false));
    assertThat(HostConfigParser.mount("target=/v")).isEqualTo(new HostConfig.MountSpec("volume", null, "/v", false, null, null, false));
    assertThat(HostConfigParser.mount("type=tmpfs,target=/t,tmpfs-size=1m,tmpfs-mode=1770"))
        .isEqualTo(new HostConfig.MountSpec("tmpfs", null, "/t", false, 1L << 20, 01770, false));
    assertThat(HostConfigParser.mount("type=volume,src=vv,dst=/v,volume-nocopy").noCopy()).isTrue();
    assertThatThrownBy(() -> HostConfigParser.mount("type=bind,source=/a"))
        .hasMessage("invalid argument \"type=bind,source=/a\" for \"--mount\" flag: target is required");

    MountsFactory.Planned bind = MountsFactory.parseBind("/host/dir/:/ctr:ro");
    assertThat(bind.kind()).isEqualTo("bind");
    assertThat(bind.source()).isEqualTo("/host/dir");
    assertThat(bind.readOnly()).isTrue();
    MountsFactory.Planned named = MountsFactory.parseBind("cache:/cache");
    assertThat(named.kind()).isEqualTo("volume");
    assertThat(named.anonymous()).isFalse();
    MountsFactory.Planned anon = MountsFactory.parseBind("/data:ro");
    assertThat(anon.anonymous()).isTrue();
    assertThat(anon.target()).isEqualTo("/data");
    assertThat(MountsFactory.parseBind("vv:/x:nocopy").copyImage()).isFalse();
    assertThatThrownBy(() -> MountsFactory.parseBind("/a:/b:xyz")).hasMessage("invalid mode: xyz");
    assertThatThrownBy(() -> MountsFactory.parseBind("a:b:c:d")).hasMessage("invalid volume specification: 'a:b:c:d'");
    assertThatThrownBy(() -> MountsFactory.parseBind("x:/y")).hasMessageContaining("\"x\" includes invalid characters");
    HostConfig.Builder duplicate = HostConfig.builder();
    duplicate.binds = List.of("/a:/x", "b1:/x");
    assertThatThrownBy(() -> MountsFactory.plan(duplicate.build(), null, null))
        .hasMessage("Duplicate mount point: /x");
  }

  @Test
  void capabilitiesAsDockerTweaksThem() {
    HostConfig.Builder b = HostConfig.builder();
    assertThat(Security.capabilities(b.build())).isEqualTo(DefaultSpec.CAPABILITIES);
    b.capAdd.add("sys_admin");
    b.capDrop.add("CAP_CHOWN");
    assertThat(Security.capabilities(b.build())).contains("CAP_SYS_ADMIN").doesNotContain("CAP_CHOWN");
    b = HostConfig.builder();
    b.capDrop.add("all");
    b.capAdd.add("NET_RAW");
    assertThat(Security.capabilities(b.build())).containsExactly("CAP_NET_RAW");
    b = HostConfig.builder();
    b.capAdd.add("ALL");
    b.capDrop.add("MKNOD");
    assertThat(Security.capabilities(b.build())).contains("CAP_SYS_ADMIN", "CAP_CHOWN").doesNotContain("CAP_MKNOD");
  }

  @Test
  void envAndLabelFiles() throws Exception {
    Path f = tmp.resolve("f");
    Files.writeString(f, "# c\n\n  A=1\nB=x=y\nBARE\n");
    assertThat(HostConfigParser.lines("--env-file", f)).containsExactly("A=1", "B=x=y", "BARE");
    assertThat(HostConfigParser.labels(List.of(f.toString()), List.of("B=z", "C")))
        .isEqualTo(Map.of("A", "1", "B", "z", "BARE", "", "C", ""));
    Files.writeString(f, "BAD NAME=1\n");
    assertThatThrownBy(() -> HostConfigParser.lines("--env-file", f)).hasMessage("variable 'BAD NAME' contains whitespaces");
  }
}
