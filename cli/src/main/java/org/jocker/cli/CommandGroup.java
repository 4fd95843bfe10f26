package org.jocker.cli;

/** A command that only groups others (`jocker image ...`, `jocker system ...`). */
public interface CommandGroup {
  JockerCommand jocker();
}
