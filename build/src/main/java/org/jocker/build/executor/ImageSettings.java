package org.jocker.build.executor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jocker.images.manifest.ImageConfig;

/**
 * The config a stage's image gets, changed by its metadata instructions; starts as its base's
 * (an image's config, an earlier stage's, or nothing for scratch).
 */
final class ImageSettings {
  String user;
  final Map<String, Object> exposedPorts = new TreeMap<>();
  List<String> env = List.of();
  List<String> entrypoint;
  List<String> cmd;
  final Map<String, Object> volumes = new TreeMap<>();
  String workingDir;
  final Map<String, String> labels = new TreeMap<>();
  String stopSignal;
  ImageConfig.HealthConfig healthcheck;
  final List<String> onBuild = new ArrayList<>();
  List<String> shell;
  /** The base image's history, then one entry per instruction of this stage. */
  final List<ImageConfig.History> history = new ArrayList<>();

  static ImageSettings of(ImageConfig base) {
    ImageSettings s = new ImageSettings();
    ImageConfig.ContainerConfig c = base.config();
    if (c != null) {
      s.user = c.user();
      if (c.exposedPorts() != null) {
        s.exposedPorts.putAll(c.exposedPorts());
      }
      s.env = c.env() == null ? List.of() : c.env();
      s.entrypoint = c.entrypoint();
      s.cmd = c.cmd();
      if (c.volumes() != null) {
        s.volumes.putAll(c.volumes());
      }
      s.workingDir = c.workingDir();
      if (c.labels() != null) {
        s.labels.putAll(c.labels());
      }
      s.stopSignal = c.stopSignal();
      s.healthcheck = c.healthcheck();
      s.shell = c.shell();
      // the base's ONBUILD triggers run in this stage (OnBuildTriggers) and are not kept
    }
    s.history.addAll(base.history());
    return s;
  }

  ImageSettings copy() {
    ImageSettings s = new ImageSettings();
    s.user = user;
    s.exposedPorts.putAll(exposedPorts);
    s.env = env;
    s.entrypoint = entrypoint;
    s.cmd = cmd;
    s.volumes.putAll(volumes);
    s.workingDir = workingDir;
    s.labels.putAll(labels);
    s.stopSignal = stopSignal;
    s.healthcheck = healthcheck;
    s.onBuild.addAll(onBuild);
    s.shell = shell;
    s.history.addAll(history);
    return s;
  }

  /** The Env list from a scope's config variables, in their order. */
  void env(Map<String, String> configEnv) {
    List<String> list = new ArrayList<>();
    configEnv.forEach((k, v) -> list.add(k + "=" + v));
    env = List.copyOf(list);
  }

  Map<String, String> envMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (String e : env) {
      int eq = e.indexOf('=');
      map.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
    }
    return map;
  }

  ImageConfig.ContainerConfig toConfig() {
    return new ImageConfig.ContainerConfig(emptyToNull(user), exposedPorts.isEmpty() ? null : exposedPorts,
        env.isEmpty() ? null : env, entrypoint, cmd, volumes.isEmpty() ? null : volumes, emptyToNull(workingDir),
        labels.isEmpty() ? null : labels, stopSignal, null, healthcheck, onBuild.isEmpty() ? null : onBuild, shell);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
