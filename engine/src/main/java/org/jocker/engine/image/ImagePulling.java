package org.jocker.engine.image;

import java.util.List;
import java.util.Locale;
import org.jocker.engine.EngineException;
import org.jocker.images.ImageService;
import org.jocker.images.RegistryCaller;
import org.jocker.images.manifest.Platform;
import org.jocker.images.pull.PullOptions;
import org.jocker.images.pull.PullProgress;
import org.jocker.images.pull.PulledImage;
import org.jocker.images.reference.Reference;

/**
 * {@code pull}, and the pull that {@code run} and {@code create} make by their {@code --pull}
 * policy. The caller draws the progress; errors keep the registry's (Docker's) words.
 */
public final class ImagePulling {
  private final ImageService images;

  public ImagePulling(ImageService images) {
    this.images = images;
  }

  /**
   * Pulls {@code ref} (with {@code allTags}, every tag of its repository: then it must not name
   * a tag or digest). {@code platform} is {@code os/arch[/variant]}, or null for this host's.
   */
  public List<PulledImage> pull(String ref, String platform, boolean allTags, RegistryCaller caller,
      PullProgress progress) {
    Reference reference = Reference.parse(ref);
    if (allTags && (reference.isDigested() || hasExplicitTag(ref))) {
      throw EngineException.invalidArgument("tag can't be used with --all-tags/-a");
    }
    return images.pulls().pull(reference, new PullOptions(parsePlatform(platform), allTags), caller, progress);
  }

  /**
   * Before {@code run}/{@code create}: pulls {@code ref} when the policy says so; {@code
   * missing} is called first when the image is pulled because it is not there. Returns what was
   * pulled (empty when nothing was).
   */
  public List<PulledImage> ensure(String ref, PullPolicy policy, String platform, RegistryCaller caller,
      Runnable missing, PullProgress progress) {
    boolean present = images.hasLocally(ref);
    if (policy == PullPolicy.NEVER || policy == PullPolicy.MISSING && present) {
      return List.of();
    }
    if (!Reference.isValid(ref)) {
      return List.of(); // an image ID (or a bad name, refused by create in its own words)
    }
    if (!present) {
      missing.run();
    }
    return pull(ref, platform, false, caller, progress);
  }

  /** A tag typed after the last path component ({@code name:tag}, not a registry's port). */
  static boolean hasExplicitTag(String ref) {
    String withoutDigest = ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : ref;
    return withoutDigest.substring(withoutDigest.lastIndexOf('/') + 1).contains(":");
  }

  /** {@code os/arch[/variant]} as Docker's --platform takes it. */
  static Platform parsePlatform(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String[] parts = text.toLowerCase(Locale.ROOT).split("/");
    if (parts.length < 1 || parts.length > 3 || List.of(parts).contains("")) {
      throw EngineException.invalidArgument("\"" + text + "\": unknown operating system or architecture: invalid argument");
    }
    if (parts.length == 1) {
      return Platform.of("linux", parts[0], null); // an architecture alone, as containerd reads it
    }
    return Platform.of(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }
}
