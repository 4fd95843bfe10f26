package org.jocker.runtime.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.PrintWriter;
import java.util.List;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs chosen test classes and methods in one JVM, with built classes and no Maven: how
 * scripts/test-v2 runs its set inside the slow v2 VM, where a Maven start alone costs minutes.
 * Arguments are "pkg.Class" or "pkg.Class#method"; each test's outcome is printed as it ends, and
 * the exit code is 1 if any failed (or none ran), else 0.
 */
public final class SelectedTests {
  private SelectedTests() {}

  public static void main(String[] args) {
    List<DiscoverySelector> selectors = List.of(args).stream()
        .map(a -> a.contains("#") ? (DiscoverySelector) selectMethod(a) : selectClass(a))
        .toList();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    LauncherFactory.create().execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectors).build(), summary, new Progress());
    TestExecutionSummary result = summary.getSummary();
    result.printFailuresTo(new PrintWriter(System.out, true), 40);
    result.printTo(new PrintWriter(System.out, true));
    System.exit(result.getTotalFailureCount() == 0 && result.getTestsSucceededCount() > 0 ? 0 : 1);
  }

  /** One line per test as it ends: the VM run is long, and a hang should show where it is. */
  private static final class Progress implements TestExecutionListener {
    private long started;

    @Override
    public void executionStarted(TestIdentifier test) {
      started = System.nanoTime();
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
      System.out.println("SKIPPED " + test.getLegacyReportingName() + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
      if (test.isTest()) {
        System.out.printf("%s %s (%.1f s)%n", result.getStatus(), name(test), (System.nanoTime() - started) / 1e9);
      }
    }

    /** "Class#method", "Class#template[2]" for a parameterized test's second case. */
    private static String name(TestIdentifier test) {
      StringBuilder name = new StringBuilder();
      for (UniqueId.Segment s : test.getUniqueIdObject().getSegments()) {
        switch (s.getType()) {
          case "class" -> name.append(s.getValue().replaceAll("^.*\\.", ""));
          case "method", "test-template" -> name.append('#').append(s.getValue().replaceAll("\\(.*$", ""));
          case "test-template-invocation" -> name.append('[').append(s.getValue().replace("#", "")).append(']');
          default -> { }
        }
      }
      return name.isEmpty() ? test.getDisplayName() : name.toString();
    }
  }
}
