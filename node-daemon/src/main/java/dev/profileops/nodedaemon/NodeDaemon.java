package dev.profileops.nodedaemon;

import dev.profileops.nodedaemon.apparmor.AppArmorProfileReconciler;
import dev.profileops.nodedaemon.seccomp.SeccompFileGuard;
import dev.profileops.nodedaemon.seccomp.SeccompProfileInstaller;
import dev.profileops.nodedaemon.seccomp.SeccompProfileReconciler;
import dev.profileops.nodedaemon.selinux.RawSelinuxProfileReconciler;
import dev.profileops.nodedaemon.selinux.SelinuxProfileReconciler;
import dev.profileops.nodedaemon.status.NodeStatusWriter;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The per-node daemon in cluster mode: watches the profile kinds and installs them on this node, and
 * puts back the files it installed when someone on the node edits or deletes them
 * ({@link SeccompFileGuard}).
 *
 * <pre>{@code
 * Path kubeletDir = NodeDaemon.kubeletDir(System.getenv());
 * try (var daemon = new NodeDaemon(client, System.getenv("NODE_NAME"), kubeletDir)) {
 *   daemon.start();                           // returns once the informers are synced
 *   daemon.awaitReady(Duration.ofMinutes(2)); // every profile that existed at start handled once
 *   ...                                       // block until shutdown
 * }
 * }</pre>
 */
public final class NodeDaemon implements AutoCloseable {
  public static final String KUBELET_DIR_ENV = "KUBELET_DIR";
  public static final Path DEFAULT_KUBELET_DIR = Path.of("/var/lib/kubelet");
  /** Finalizers are {@code <node>.}{@value}{@code /deleted}; see {@link #finalizerFor(String)}. */
  public static final String FINALIZER_DOMAIN = "node.profileops.dev";
  /** Concurrent reconciles of the daemon's controllers. */
  public static final int RECONCILIATION_THREADS = 8;

  private final String nodeName;
  private final Operator operator;
  private final SeccompProfileReconciler seccomp;
  private final SeccompFileGuard seccompFiles;
  private final SecurityModules modules;
  private volatile Set<String> profilesAtStart;
  private volatile boolean ready;

  public NodeDaemon(KubernetesClient client, String nodeName, Path kubeletDir) {
    this(client, nodeName, kubeletDir, configuration -> {});
  }

  /** @param configuration further JOSDK settings, applied after the daemon's own */
  public NodeDaemon(KubernetesClient client, String nodeName, Path kubeletDir,
      Consumer<ConfigurationServiceOverrider> configuration) {
    this(client, nodeName, kubeletDir, SecurityModules.none(), configuration);
  }

  /**
   * @param modules the SELinux and AppArmor installers and feature gates; the kinds whose installer
   *     is null are not watched
   */
  public NodeDaemon(KubernetesClient client, String nodeName, Path kubeletDir, SecurityModules modules,
      Consumer<ConfigurationServiceOverrider> configuration) {
    if (nodeName == null || nodeName.isBlank()) {
      throw new IllegalArgumentException("the node name is required (set NODE_NAME from spec.nodeName)");
    }
    this.nodeName = nodeName;
    String finalizer = finalizerFor(nodeName);
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          // The caller made the client and closes it.
          .withCloseClientOnStop(false)
          // JSON patches, not server-side apply, for our finalizer and the profile status: every node
          // adds its own finalizer to the same list, and with SSA under one field manager name each
          // node's apply would drop the finalizers the other nodes had applied.
          .withUseSSAToPatchPrimaryResource(false)
          // A node agent: a few reconcilers keep the API requests and file writes going without taking
          // the node's CPU and memory (JOSDK's default is 50 threads).
          .withConcurrentReconciliationThreads(RECONCILIATION_THREADS);
      configuration.accept(o);
    });
    // Puts back the files it installed when someone on the node changes or deletes them.
    this.seccompFiles = new SeccompFileGuard(new SeccompProfileInstaller(kubeletDir));
    this.seccomp = new SeccompProfileReconciler(seccompFiles, new NodeStatusWriter(client, nodeName));
    operator.register(seccomp, c -> c
        .withFinalizer(finalizer)
        // Label changes (spo.x-k8s.io/partial) count too, which plain generation-awareness would skip.
        .withGenerationAware(false)
        .withOnUpdateFilter(SeccompProfileReconciler.relevantUpdates(finalizer)));
    this.modules = modules;
    NodeStatusWriter statusWriter = new NodeStatusWriter(client, nodeName);
    if (modules.selinux() != null) {
      operator.register(new SelinuxProfileReconciler(modules.selinux(), statusWriter, modules.gates()),
          c -> c.withFinalizer(finalizer).withGenerationAware(false).withOnUpdateFilter(relevantUpdates(finalizer)));
      operator.register(new RawSelinuxProfileReconciler(modules.selinux(), statusWriter, modules.gates()),
          c -> c.withFinalizer(finalizer).withGenerationAware(false).withOnUpdateFilter(relevantUpdates(finalizer)));
    }
    if (modules.appArmor() != null) {
      operator.register(new AppArmorProfileReconciler(modules.appArmor(), statusWriter, modules.gates()),
          c -> c.withFinalizer(finalizer).withGenerationAware(false).withOnUpdateFilter(relevantUpdates(finalizer)));
    }
  }

  /**
   * Updates of a profile that need a reconcile: spec (by generation) or label changes, deletion, our
   * finalizer appearing or missing. Status writes by any node are not among them.
   */
  static <R extends CustomResource<?, ?>> OnUpdateFilter<R> relevantUpdates(String finalizer) {
    return (now, before) -> specChanged(now, before)
        || !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels())
        || now.isMarkedForDeletion()
        || !now.hasFinalizer(finalizer)
        || !before.hasFinalizer(finalizer);
  }

  /** By generation, or by content where the server does not count generations. */
  private static boolean specChanged(CustomResource<?, ?> now, CustomResource<?, ?> before) {
    Long generation = now.getMetadata().getGeneration();
    Long previous = before.getMetadata().getGeneration();
    if (generation != null && previous != null && generation > 0 && previous > 0) {
      return !generation.equals(previous);
    }
    return !Objects.equals(generation, previous)
        || !io.fabric8.kubernetes.client.utils.Serialization.asJson(now.getSpec())
            .equals(io.fabric8.kubernetes.client.utils.Serialization.asJson(before.getSpec()));
  }

  /**
   * This node's finalizer on every profile it installed. SPO uses {@code <node>-deleted}, but fabric8
   * and JOSDK (HasMetadata.validateFinalizer, 7.5.2) only accept {@code <domain>/<name>}, where the
   * name part is at most 63 characters of [A-Za-z0-9-] (no dots). Node names often have dots
   * ({@code ip-10-0-0-1.ec2.internal}), so the node goes into the domain part instead:
   * {@code <node>.node.profileops.dev/deleted}. Whoever cleans up after nodes that no longer exist
   * reads the node back from the part before {@code .node.profileops.dev/}.
   *
   * @throws IllegalArgumentException for a node name that cannot form a valid finalizer (over 233
   *     characters)
   */
  public static String finalizerFor(String nodeName) {
    String finalizer = nodeName + "." + FINALIZER_DOMAIN + "/deleted";
    if (!HasMetadata.validateFinalizer(finalizer)) {
      throw new IllegalArgumentException("node name " + nodeName + " does not make a valid finalizer: " + finalizer);
    }
    return finalizer;
  }

  /** {@code KUBELET_DIR} from the environment, else {@code /var/lib/kubelet}. */
  public static Path kubeletDir(Map<String, String> environment) {
    String dir = environment.get(KUBELET_DIR_ENV);
    return dir == null || dir.isBlank() ? DEFAULT_KUBELET_DIR : Path.of(dir);
  }

  public String nodeName() {
    return nodeName;
  }

  /**
   * Starts watching the installed files and the controllers; returns once the controllers' informers
   * have synced.
   */
  public void start() {
    seccompFiles.start();
    operator.start();
    // The controller's informer has synced by now: its cache holds the profiles there at start, no
    // second list of every profile needed.
    profilesAtStart = seccomp.cachedNames();
  }

  /**
   * True once every profile that existed at start has been reconciled (or cleaned up) on this node at
   * least once. Stays true afterwards.
   */
  public boolean isReady() {
    if (ready) {
      return true;
    }
    Set<String> expected = profilesAtStart;
    if (expected == null) {
      return false;
    }
    // A profile deleted before its first reconcile will never be handled; it no longer counts.
    ready = expected.stream().allMatch(name -> seccomp.hasHandled(name) || !seccomp.isCached(name));
    return ready;
  }

  /** Waits until {@link #isReady()}; false when the timeout passed first. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!isReady()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  public void stop() {
    try {
      operator.stop();
    } finally {
      seccompFiles.close();
      modules.gates().close();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
