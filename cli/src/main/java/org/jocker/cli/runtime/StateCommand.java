package org.jocker.cli.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "state", description = "Print the state of a container as JSON.")
final class StateCommand extends RuntimeVerb {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Parameters(index = "0", paramLabel = "ID") String id;

  @Override
  int execute() throws Exception {
    System.out.println(JSON.writeValueAsString(runtime().state(id)));
    return 0;
  }
}
