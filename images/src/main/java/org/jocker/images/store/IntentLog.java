package org.jocker.images.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.jocker.images.ImageException;
import org.jocker.kernel.Durable;

/**
 * The one file that holds the {@link Intent} being applied. Only a holder of the store lock
 * writes it and clears it before letting the lock go, so another holder that finds it knows
 * its writer was killed (or failed) part-way.
 */
final class IntentLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  IntentLog(Path file) {
    this.file = file;
  }

  void write(Intent intent) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Durable.write(file, JSON.writeValueAsBytes(intent));
    } catch (IOException e) {
      throw new ImageException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  Optional<Intent> read() {
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(file), Intent.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ImageException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  void clear() {
    try {
      Files.deleteIfExists(file);
      Durable.syncDirectory(file.getParent());
    } catch (IOException e) {
      throw new ImageException("cannot remove " + file + ": " + e.getMessage(), e);
    }
  }
}
