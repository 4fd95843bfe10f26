package org.jocker.runtime.seccomp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/** System call names to numbers for one ABI, read from a "name number" resource file. */
public final class SyscallTable {
  private final String resource;
  private final Map<String, Integer> numbers;

  private SyscallTable(String resource, Map<String, Integer> numbers) {
    this.resource = resource;
    this.numbers = Map.copyOf(numbers);
  }

  static SyscallTable load(String resource) {
    try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing syscall table resource " + resource);
      return new SyscallTable(resource, parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read syscall table " + resource, e);
    }
  }

  private static Map<String, Integer> parse(BufferedReader reader) throws IOException {
    Map<String, Integer> numbers = new HashMap<>();
    String line;
    while ((line = reader.readLine()) != null) {
      int comment = line.indexOf('#');
      String content = (comment >= 0 ? line.substring(0, comment) : line).strip();
      if (content.isEmpty()) continue;
      String[] fields = content.split("\\s+");
      if (fields.length != 2) throw new IllegalStateException("bad syscall table line: " + line);
      if (numbers.put(fields[0], Integer.parseInt(fields[1])) != null) {
        throw new IllegalStateException("duplicate syscall in table: " + fields[0]);
      }
    }
    return numbers;
  }

  public OptionalInt number(String name) {
    Integer number = numbers.get(name);
    return number == null ? OptionalInt.empty() : OptionalInt.of(number);
  }

  public int size() {
    return numbers.size();
  }

  @Override
  public String toString() {
    return "SyscallTable[" + resource + ", " + numbers.size() + " syscalls]";
  }
}
