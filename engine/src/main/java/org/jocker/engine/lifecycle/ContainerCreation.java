package org.jocker.engine.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import org.jocker.engine.EngineException;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.ContainerStore;
import org.jocker.engine.container.HostConfig;
import org.jocker.engine.container.Names;
import org.jocker.engine.network.ContainerNetworking;
import org.jocker.engine.network.JoinedNetwork;
import org.jocker.engine.network.NetworkMode;
import org.jocker.engine.network.PortSpecs;
import org.jocker.engine.spec.MountsFactory;
import org.jocker.engine.spec.RunOptions;
import org.jocker.engine.spec.SpecFactory;
import org.jocker.engine.spec.VolumesFrom;
import org.jocker.engine.volume.VolumeManager;
import org.jocker.images.ImageService;
import org.jocker.images.NotFoundException;
import org.jocker.images.reference.Reference;
import org.jocker.images.snapshot.Mount;
import org.jocker.images.store.Image;
import org.jocker.kernel.Durable;
import org.jocker.runtime.spec.Spec;

/**
 * `create`: a container with its root filesystem mounted and its config.json written, not started
 * (it enters the runtime at start, {@link ContainerLaunch}).
 */
public final class ContainerCreation {
  private static final ObjectMapper SPEC_JSON = new ObjectMapper();

  private final ImageService images;
  private final ContainerStore containers;
  private final VolumeManager volumes;
  private final ContainerRemoval removal;
  private final LogLimits logLimits;
  private final ContainerNetworking networking;

  public ContainerCreation(ImageService images, ContainerStore containers, VolumeManager volumes,
      ContainerRemoval removal, LogLimits logLimits, ContainerNetworking networking) {
    this.networking = networking;
    this.images = images;
    this.containers = containers;
    this.volumes = volumes;
    this.removal = removal;
    this.logLimits = logLimits;
  }

  /**
   * The container's id. Made under the store lock, record last: a create killed half-way leaves a
   * directory without a record, which the next command removes (see
   * {@link ContainerRemoval#removeLeftovers}).
   */
  public String create(RunOptions options) {
    if (options.remove() && !options.hostConfig().restartPolicy().isNone()) {
      throw EngineException.invalidArgument("Conflicting options: --restart and --rm");
    }
    Image image = image(options.image());
    return containers.locked(() -> createLocked(options, image));
  }

  private String createLocked(RunOptions options, Image image) {
    removal.removeLeftovers();
    String name = Names.choose(options.name(), containers.names());
    String id = Names.newId();
    // Every option is checked (and every volume named) before anything is made.
    HostConfig hc = options.hostConfig();
    MountsFactory mounts = MountsFactory.plan(hc, images.config(image).value().config(), volumes.store(),
        VolumesFrom.resolve(hc.volumesFrom(), containers::get, containers, volumes.store()));
    String network;
    ContainerRecord joined = null; // --network container:NAME
    if (JoinedNetwork.requested(hc.networkMode())) {
      JoinedNetwork.checkOptions(hc, options.hostname());
      joined = containers.get(JoinedNetwork.target(hc.networkMode()));
      network = JoinedNetwork.recorded(joined.id());
    } else {
      network = networking.resolve(hc.networkMode());
    }
    if (joined == null) {
      networking.checkEndpointConfig(network, options.endpointConfig());
    } else if (options.endpointConfig().macAddress() != null) {
      throw EngineException.invalidArgument("conflicting options: mac-address and the network mode");
    } else if (!options.endpointConfig().isEmpty()) {
      throw EngineException.invalidArgument("network-scoped alias is supported only for containers in user defined"
          + " networks");
    }
    HostConfig recorded = hc.withLogConfig(logLimits.withDefaults(hc.logConfig())).withNetworkMode(network);
    if (hc.publishAllPorts()) {
      var config = images.config(image).value().config();
      var exposed = config == null || config.exposedPorts() == null ? java.util.Set.<String>of()
          : config.exposedPorts().keySet();
      recorded = recorded.withPortBindings(PortSpecs.publishAll(hc.portBindings(), exposed));
    }
    ContainerRecord record = new ContainerRecord(id, name, image.id().toString(), options.image(),
        Instant.now().toString(), options.command(), options.remove(), recorded, mounts.volumeNames(),
        options.interactive(), networking.initialNetworks(network, options.endpointConfig()));
    containers.makeDir(id);
    boolean mounted = false;
    Path rootfs = containers.bundle(id).resolve("rootfs");
    try {
      Mount mount = images.prepareRootfs(id, image);
      mount.mount(rootfs);
      mounted = true;
      Spec own = SpecFactory.create(id, images.config(image).value().config(), options, rootfs, mounts.apply(rootfs));
      Spec spec = joined != null
          ? networking.configureJoined(own, SPEC_JSON.readValue(containers.bundle(joined.id()).resolve("config.json")
              .toFile(), Spec.class), containers.dir(joined.id()))
          : networking.configure(own, id, NetworkMode.recorded(network), containers.dir(id), recorded.nameResolution());
      if (joined == null) {
        networking.useNetworkDns(network, containers.dir(id));
      }
      Durable.writeUnchecked(containers.bundle(id).resolve("config.json"), SPEC_JSON.writeValueAsBytes(spec));
      containers.save(record); // from here on the container exists
      return id;
    } catch (IOException | RuntimeException e) {
      removal.removeAll(id, mounted);
      volumes.removeAnonymous(record);
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  private Image image(String ref) {
    try {
      return images.resolveOrProvide(ref);
    } catch (NotFoundException e) {
      String shown = Reference.isValid(ref) ? Reference.parse(ref).familiar() : ref;
      // run and create pull a missing image first (see ImagePulling.ensure): it is still
      // missing only with --pull never, or when named by an ID.
      throw EngineException.of(EngineException.Kind.NOT_FOUND, e, "No such image: " + shown);
    }
  }
}
