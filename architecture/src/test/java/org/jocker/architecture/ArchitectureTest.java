package org.jocker.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What may import what, checked on the compiled main classes of every module (the picture is in
 * docs/architecture.md, "What may import what"). Maven already keeps a module from using one it
 * does not depend on; these rules hold inside a module (no package cycles, no lower layer using
 * a higher one) and between modules (the engine and the CLI use the runtime and images through
 * their APIs). What breaks a rule today is listed in {@link #FROZEN} or an allow-list below, by
 * class, with the fix it waits for: it cannot spread, and a new break fails the build.
 */
class ArchitectureTest {
  private static JavaClasses jocker;

  @BeforeAll
  static void importEveryModule() {
    jocker =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.jocker");
  }

  /** A dependency that breaks a layer or cycle rule today, kept by name so no other joins it. */
  record Frozen(String origin, String target, String fix) {}

  /** None today: a break that must wait for its fix is listed here, with the fix. */
  static final List<Frozen> FROZEN = List.of();

  @Test
  void everyModuleIsImported() {
    for (String name :
        List.of(
            "org.jocker.kernel.NativeCalls",
            "org.jocker.runtime.ContainerRuntime",
            "org.jocker.images.ImageService",
            "org.jocker.engine.Engine",
            "org.jocker.build.dockerfile.DockerfileParser",
            "org.jocker.cli.Main")) {
      assertThat(jocker.contain(name)).as(name).isTrue();
    }
  }

  /** A break that was fixed leaves its list too, so the lists only shrink. */
  @Test
  void everyFrozenBreakStillExists() {
    Set<String> uses = new HashSet<>();
    for (JavaClass c : jocker) {
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        uses.add(topLevelName(c) + " -> " + topLevelName(d.getTargetClass()));
      }
    }
    List<String> frozen = new ArrayList<>(FROZEN_API_USES);
    FROZEN.forEach(f -> frozen.add(f.origin() + " -> " + f.target()));
    frozen.removeAll(uses);
    assertThat(frozen).as("fixed, so remove from the frozen lists").isEmpty();
  }

  // --- (1) no package cycles -------------------------------------------------------------------

  /** The modules whose root package holds, beside the facade, the exceptions all packages throw. */
  static final Set<String> MODULE_ROOTS =
      Set.of("org.jocker.runtime", "org.jocker.images", "org.jocker.engine", "org.jocker.build");

  static final DescribedPredicate<JavaClass> MODULE_EXCEPTION =
      describe(
          "a module's own exception (its root package's *Exception)",
          c ->
              MODULE_ROOTS.contains(c.getPackageName())
                  && topLevelName(c).endsWith("Exception"));

  /** picocli's command tree: the top command names its subcommands, they extend its base class. */
  static final Set<String> CLI_COMMAND_TREE =
      Set.of(
          "org.jocker.cli",
          "org.jocker.cli.container",
          "org.jocker.cli.image",
          "org.jocker.cli.volume",
          "org.jocker.cli.network",
          "org.jocker.cli.system",
          "org.jocker.cli.builder",
          "org.jocker.cli.runtime",
          "org.jocker.cli.server");

  /**
   * One slice per package, but a module's root exceptions form their own (every package may throw
   * them; that is no cycle with the facade beside them) and the CLI's command tree is one.
   */
  static final SliceAssignment PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          String pkg = c.getPackageName();
          if (!pkg.startsWith("org.jocker")) {
            return SliceIdentifier.ignore();
          }
          if (MODULE_EXCEPTION.test(c)) {
            return SliceIdentifier.of(pkg + " exceptions");
          }
          if (CLI_COMMAND_TREE.contains(pkg)) {
            return SliceIdentifier.of("org.jocker.cli command tree");
          }
          return SliceIdentifier.of(pkg);
        }

        @Override
        public String getDescription() {
          return "Jocker's packages";
        }
      };

  @Test
  void noPackageCycles() {
    var rule = slices().assignedFrom(PACKAGES).should().beFreeOfCycles();
    for (Frozen f : FROZEN) {
      rule = rule.ignoreDependency(topLevel(f.origin()), topLevel(f.target()));
    }
    rule.check(jocker);
  }

  // --- (2) layers inside a module: nothing below imports anything above ---------------------

  @Test
  void runtimeLayers() {
    check(
        "org.jocker.runtime",
        layeredArchitecture()
            .consideringOnlyDependenciesInAnyPackage("org.jocker.runtime..")
            .layer("facade")
            .definedBy(rootPackage("org.jocker.runtime"))
            .layer("mechanisms")
            .definedBy(
                "org.jocker.runtime.plan..",
                "org.jocker.runtime.launch..",
                "org.jocker.runtime.cgroup..",
                "org.jocker.runtime.hooks..",
                "org.jocker.runtime.state..",
                "org.jocker.runtime.seccomp..")
            .layer("model")
            .definedBy(
                "org.jocker.runtime.spec..",
                "org.jocker.runtime.linux..",
                "org.jocker.runtime.kernel..")
            .layer("exception")
            .definedBy(moduleException("org.jocker.runtime"))
            .whereLayer("facade")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("mechanisms")
            .mayOnlyBeAccessedByLayers("facade")
            .whereLayer("model")
            .mayOnlyBeAccessedByLayers("facade", "mechanisms")
            .whereLayer("exception")
            .mayNotAccessAnyLayer());
  }

  @Test
  void imagesLayers() {
    check(
        "org.jocker.images",
        layeredArchitecture()
            .consideringOnlyDependenciesInAnyPackage("org.jocker.images..")
            .layer("facade")
            .definedBy(rootPackage("org.jocker.images"))
            .layer("operations")
            .definedBy(
                "org.jocker.images.archive..",
                "org.jocker.images.create..",
                "org.jocker.images.builtin..",
                "org.jocker.images.gc..",
                "org.jocker.images.pull..",
                "org.jocker.images.push..")
            .layer("registry")
            .definedBy("org.jocker.images.registry..")
            .layer("stores")
            .definedBy("org.jocker.images.store..", "org.jocker.images.snapshot..")
            .layer("blobs")
            .definedBy("org.jocker.images.content..", "org.jocker.images.layer..")
            .layer("formats")
            .definedBy(
                "org.jocker.images.digest..",
                "org.jocker.images.concurrency..",
                "org.jocker.images.reference..",
                "org.jocker.images.manifest..",
                "org.jocker.images.tar..")
            .layer("exception")
            .definedBy(moduleException("org.jocker.images"))
            .whereLayer("facade")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("operations")
            .mayOnlyBeAccessedByLayers("facade")
            .whereLayer("registry")
            .mayOnlyBeAccessedByLayers("facade", "operations")
            .whereLayer("stores")
            .mayOnlyBeAccessedByLayers("facade", "operations")
            .whereLayer("blobs")
            .mayOnlyBeAccessedByLayers("facade", "operations", "registry", "stores")
            .whereLayer("formats")
            .mayOnlyBeAccessedByLayers("facade", "operations", "registry", "stores", "blobs")
            .whereLayer("exception")
            .mayNotAccessAnyLayer());
  }

  @Test
  void engineLayers() {
    check(
        "org.jocker.engine",
        layeredArchitecture()
            .consideringOnlyDependenciesInAnyPackage("org.jocker.engine..")
            .layer("facade")
            .definedBy(rootPackage("org.jocker.engine"))
            .layer("lifecycle")
            .definedBy("org.jocker.engine.lifecycle..")
            .layer("operations")
            .definedBy("org.jocker.engine.operations..")
            .layer("specs")
            .definedBy("org.jocker.engine.spec..")
            .layer("features")
            .definedBy(
                "org.jocker.engine.image..",
                "org.jocker.engine.volume..",
                "org.jocker.engine.network..",
                "org.jocker.engine.attach..")
            .layer("containers")
            .definedBy("org.jocker.engine.container..")
            .layer("logs")
            .definedBy("org.jocker.engine.logs..")
            .layer("exception")
            .definedBy(moduleException("org.jocker.engine"))
            .whereLayer("facade")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("lifecycle")
            .mayOnlyBeAccessedByLayers("facade")
            .whereLayer("operations")
            .mayOnlyBeAccessedByLayers("facade", "lifecycle")
            .whereLayer("specs")
            .mayOnlyBeAccessedByLayers("facade", "lifecycle", "operations")
            .whereLayer("features")
            .mayOnlyBeAccessedByLayers("facade", "lifecycle", "operations", "specs")
            .whereLayer("containers")
            .mayOnlyBeAccessedByLayers("facade", "lifecycle", "operations", "specs", "features")
            .whereLayer("logs")
            .mayOnlyBeAccessedByLayers(
                "facade", "lifecycle", "operations", "specs", "features", "containers")
            .whereLayer("exception")
            .mayNotAccessAnyLayer());
  }

  /**
   * The build module: the executor on top (it dispatches stages, runs steps through the engine and
   * images, and reports to progress); under it stages (the graph, ARG/ENV scopes, expansion per
   * instruction) over the Dockerfile language, over the shell lexer; the context (.dockerignore,
   * the walk) and progress (BuildKit's output) stand apart, used only by the executor.
   */
  @Test
  void buildLayers() {
    check(
        "org.jocker.build",
        layeredArchitecture()
            .consideringOnlyDependenciesInAnyPackage("org.jocker.build..")
            .layer("executor")
            .definedBy("org.jocker.build.executor..")
            .layer("progress")
            .definedBy("org.jocker.build.progress..")
            .layer("stages")
            .definedBy("org.jocker.build.stage..")
            .layer("language")
            .definedBy("org.jocker.build.dockerfile..")
            .layer("context")
            .definedBy("org.jocker.build.context..")
            .layer("shell")
            .definedBy("org.jocker.build.shell..")
            .layer("exception")
            .definedBy(moduleException("org.jocker.build"))
            .whereLayer("executor")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("progress")
            .mayOnlyBeAccessedByLayers("executor")
            .whereLayer("stages")
            .mayOnlyBeAccessedByLayers("executor")
            .whereLayer("language")
            .mayOnlyBeAccessedByLayers("executor", "stages")
            .whereLayer("context")
            .mayOnlyBeAccessedByLayers("executor")
            .whereLayer("shell")
            .mayOnlyBeAccessedByLayers("executor", "stages", "language")
            .whereLayer("exception")
            .mayNotAccessAnyLayer());
  }

  @Test
  void cliLayers() {
    check(
        "org.jocker.cli",
        layeredArchitecture()
            .consideringOnlyDependenciesInAnyPackage("org.jocker.cli..")
            .layer("commands")
            .definedBy(
                describe("the command tree", c -> CLI_COMMAND_TREE.contains(c.getPackageName())))
            .layer("support")
            .definedBy("org.jocker.cli.session..", "org.jocker.cli.format..")
            .whereLayer("commands")
            .mayNotBeAccessedByAnyLayer());
  }

  /** Command groups share only the top command's base classes and the support packages. */
  @Test
  void commandGroupsAreIndependent() {
    slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass c) {
                String pkg = c.getPackageName();
                return CLI_COMMAND_TREE.contains(pkg) && !pkg.equals("org.jocker.cli")
                    ? SliceIdentifier.of(pkg)
                    : SliceIdentifier.ignore();
              }

              @Override
              public String getDescription() {
                return "the CLI's command groups";
              }
            })
        .should()
        .notDependOnEachOther()
        .check(jocker);
  }

  // --- (3) the engine and the CLI use the runtime and images through their APIs ----------------

  /**
   * The runtime's API: the facade package (ContainerRuntime, its options, the exception), the
   * config model (spec, Docker's defaults and seccomp profiles included) and Linux's names
   * (linux), and the types in the facade's signatures.
   */
  static final DescribedPredicate<JavaClass> RUNTIME_API =
      inPackages("org.jocker.runtime", "org.jocker.runtime.spec", "org.jocker.runtime.linux")
          .or(
              named(
                  // the ContainerRuntime constructor's kernel, and the real one
                  "org.jocker.runtime.kernel.Kernel",
                  "org.jocker.runtime.kernel.LinuxKernel",
                  "org.jocker.runtime.launch.Stdio",
                  // who spawns the launcher: this JVM, or the engine's client (a constructor argument)
                  "org.jocker.runtime.launch.LauncherParent",
                  "org.jocker.runtime.launch.LauncherParent$ChildFd",
                  "org.jocker.runtime.launch.LogConfig",
                  "org.jocker.runtime.launch.Attachment",
                  "org.jocker.runtime.launch.LaunchException",
                  "org.jocker.runtime.state.ContainerState",
                  "org.jocker.runtime.state.ExitStatus",
                  "org.jocker.runtime.state.ContainerNotFoundException",
                  "org.jocker.runtime.state.ContainerExistsException",
                  "org.jocker.runtime.plan.InvalidSpecException",
                  "org.jocker.runtime.cgroup.CgroupStats"));

  /**
   * The images API: the facade (ImageService, its ImageCatalog and ImageArchives, the exceptions),
   * the names and formats (reference, digest, manifest, and tar: the one tar writer, which `cp`
   * uses too) and the records the facade answers with.
   */
  static final DescribedPredicate<JavaClass> IMAGES_API =
      inPackages(
              "org.jocker.images",
              "org.jocker.images.reference",
              "org.jocker.images.digest",
              "org.jocker.images.manifest",
              "org.jocker.images.tar")
          .or(
              named(
                  "org.jocker.images.store.Image",
                  "org.jocker.images.snapshot.Mount",
                  "org.jocker.images.layer.Change",
                  "org.jocker.images.gc.GcResult",
                  "org.jocker.images.archive.ArchiveFormat",
                  "org.jocker.images.archive.LoadedImage",
                  // pull: what is asked, what is reported, what came of it
                  "org.jocker.images.pull.PullOptions",
                  "org.jocker.images.pull.PullProgress",
                  "org.jocker.images.pull.LayerProgress",
                  "org.jocker.images.pull.LayerState",
                  "org.jocker.images.pull.PulledImage",
                  // push: what is reported, what came of it
                  "org.jocker.images.push.PushProgress",
                  "org.jocker.images.push.LayerPushProgress",
                  "org.jocker.images.push.PushState",
                  "org.jocker.images.push.PushedImage"));

  /**
   * Uses of the runtime's and images' insides from above that wait for a facade method ("origin
   * -> target", top-level classes), each group with its fix. None today: every use goes through
   * the APIs.
   */
  static final Set<String> FROZEN_API_USES = Set.of();

  @Test
  void engineBuildAndCliUseTheRuntimeThroughItsApi() {
    classes()
        .that()
        .resideInAnyPackage("org.jocker.engine..", "org.jocker.build..", "org.jocker.cli..")
        .should(useOnlyTheApiOf("org.jocker.runtime", RUNTIME_API))
        .check(jocker);
  }

  @Test
  void engineBuildAndCliUseImagesThroughTheirApi() {
    classes()
        .that()
        .resideInAnyPackage("org.jocker.engine..", "org.jocker.build..", "org.jocker.cli..")
        .should(useOnlyTheApiOf("org.jocker.images", IMAGES_API))
        .check(jocker);
  }

  private static ArchCondition<JavaClass> useOnlyTheApiOf(
      String module, DescribedPredicate<JavaClass> api) {
    return new ArchCondition<>("use " + module + " only through " + api.getDescription()) {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        Set<String> reported = new HashSet<>(); // one line per class used, not per call
        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
          JavaClass target = d.getTargetClass();
          String use = topLevelName(origin) + " -> " + topLevelName(target);
          if (target.getPackageName().startsWith(module)
              && !api.test(target)
              && !FROZEN_API_USES.contains(use)
              && reported.add(use)) {
            events.add(SimpleConditionEvent.violated(d, use + ": " + d.getDescription()));
          }
        }
      }
    };
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static void check(String module, LayeredArchitecture layers) {
    for (Frozen f : FROZEN) {
      layers = layers.ignoreDependency(topLevel(f.origin()), topLevel(f.target()));
    }
    // A new package must be given a layer before it is used.
    layers
        .ensureAllClassesAreContainedInArchitecture()
        .check(jocker.that(resideInAPackage(module + "..")));
  }

  /** The classes of a root package that are not the module's exception. */
  private static DescribedPredicate<JavaClass> rootPackage(String pkg) {
    return describe(
        "in " + pkg + " but its exception",
        c -> c.getPackageName().equals(pkg) && !MODULE_EXCEPTION.test(c));
  }

  private static DescribedPredicate<JavaClass> moduleException(String pkg) {
    return describe(
        "the exceptions of " + pkg,
        c -> c.getPackageName().equals(pkg) && MODULE_EXCEPTION.test(c));
  }

  private static DescribedPredicate<JavaClass> inPackages(String... packages) {
    Set<String> set = Set.of(packages);
    return describe("the packages " + set, c -> set.contains(c.getPackageName()));
  }

  private static DescribedPredicate<JavaClass> named(String... names) {
    Set<String> set = Set.of(names);
    return describe("the classes " + set, c -> set.contains(topLevelName(c)));
  }

  /** A class and its nested, inner and anonymous classes. */
  private static DescribedPredicate<JavaClass> topLevel(String name) {
    return describe(name, c -> topLevelName(c).equals(name));
  }

  private static String topLevelName(JavaClass c) {
    String name = c.getName();
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }
}
