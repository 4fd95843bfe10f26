package org.jocker.images;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jocker.images.digest.Digest;
import org.jocker.images.manifest.Descriptor;
import org.jocker.images.store.ChainId;

/**
 * The layers of an image being built, base first: those of its base image and one per
 * filesystem-changing instruction so far. Its top chain ID keys the committed snapshot that holds
 * them all (none for an empty stack: {@code FROM scratch} before any layer).
 */
public record LayerStack(List<Layer> layers) {
  /** One layer: its compressed blob and the digest of its tar (the diff ID). */
  public record Layer(Digest digest, long size, String mediaType, Digest diffId) {
    Descriptor descriptor() {
      return Descriptor.of(mediaType, digest, size);
    }
  }

  public static final LayerStack EMPTY = new LayerStack(List.of());

  public LayerStack {
    layers = List.copyOf(layers);
  }

  /** The chain ID of the whole stack, the key of its committed snapshot; empty for no layers. */
  public Optional<String> topChainId() {
    return layers.isEmpty() ? Optional.empty()
        : Optional.of(ChainId.of(layers.stream().map(Layer::diffId).toList()).toString());
  }

  /** The chain ID of every prefix, base first: the committed snapshots the stack stands on. */
  public List<String> chainIds() {
    return ChainId.chain(layers.stream().map(Layer::diffId).toList()).stream().map(Object::toString).toList();
  }

  public LayerStack plus(Layer layer) {
    List<Layer> more = new ArrayList<>(layers);
    more.add(layer);
    return new LayerStack(more);
  }
}
