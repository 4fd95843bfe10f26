package org.jocker.build.dockerfile;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One Dockerfile instruction, as written: words are kept unexpanded (variables are the stage's
 * business, {@code org.jocker.build.stage}) and every instruction knows its lines.
 */
public sealed interface Instruction {
  SourceLines lines();

  /** {@code FROM [--platform=P] IMAGE [AS NAME]}; the name lower-cased, as Docker keeps it. */
  record From(SourceLines lines, String image, Optional<String> platform, Optional<String> stageName)
      implements Instruction {}

  /**
   * {@code RUN [--mount=...]... [--network=...] [--security=...] [--device=...]... COMMAND},
   * maybe with heredocs. Devices are CDI names, kept for the executor to refuse or honour.
   */
  record Run(
      SourceLines lines,
      CommandLine command,
      List<Heredoc> heredocs,
      List<Mount> mounts,
      Optional<String> network,
      Optional<String> security,
      List<String> devices)
      implements Instruction {}

  record Cmd(SourceLines lines, CommandLine command) implements Instruction {}

  record Entrypoint(SourceLines lines, CommandLine command) implements Instruction {}

  /** {@code ENV K=V ...}, or the legacy {@code ENV K rest of the line} (legacy true). */
  record Env(SourceLines lines, List<KeyValue> pairs, boolean legacy) implements Instruction {}

  /** {@code LABEL K=V ...}, legacy {@code LABEL K V} as for ENV. */
  record Label(SourceLines lines, List<KeyValue> pairs, boolean legacy) implements Instruction {}

  /** {@code ARG NAME[=DEFAULT] ...}. */
  record Arg(SourceLines lines, List<ArgDeclaration> declarations) implements Instruction {}

  record Expose(SourceLines lines, List<String> ports) implements Instruction {}

  record Workdir(SourceLines lines, String path) implements Instruction {}

  record User(SourceLines lines, String user) implements Instruction {}

  record Volume(SourceLines lines, List<String> paths) implements Instruction {}

  /** {@code COPY [--from=STAGE|INDEX|IMAGE] [--parents] ...}: {@code from} never has variables. */
  record Copy(SourceLines lines, FileTransfer transfer, Optional<String> from, boolean parents)
      implements Instruction {}

  /** {@code ADD [--checksum=D] [--keep-git-dir] [--unpack=B] ...}: also URLs, git and archives. */
  record Add(
      SourceLines lines,
      FileTransfer transfer,
      Optional<String> checksum,
      boolean keepGitDir,
      Optional<Boolean> unpack)
      implements Instruction {}

  /** {@code SHELL ["executable", "arg"]}, JSON only. */
  record Shell(SourceLines lines, List<String> command) implements Instruction {}

  record StopSignal(SourceLines lines, String signal) implements Instruction {}

  /**
   * {@code HEALTHCHECK NONE} ({@code test} is ["NONE"]) or {@code HEALTHCHECK [options] CMD ...}
   * (["CMD", args...] or ["CMD-SHELL", script], as the image config stores it). A zero duration
   * or retry count is unset: the engine's defaults apply.
   */
  record Healthcheck(
      SourceLines lines,
      List<String> test,
      Duration interval,
      Duration timeout,
      Duration startPeriod,
      Duration startInterval,
      int retries)
      implements Instruction {}

  /** {@code ONBUILD INSTRUCTION}: the trigger, parsed, and its text as the image config keeps it. */
  record OnBuild(SourceLines lines, Instruction trigger, String triggerText)
      implements Instruction {}

  /** Deprecated: sets the image's author. */
  record Maintainer(SourceLines lines, String name) implements Instruction {}

  /** One pair of ENV or LABEL, both sides raw (quotes and variables still in). */
  record KeyValue(String key, String value) {}

  /** One name of ARG, with its raw default if it has one. */
  record ArgDeclaration(String name, Optional<String> defaultValue) {}
}
