package dev.profileops.nodedaemon;

import dev.profileops.api.daemon.SecurityProfilesOperatorDaemon;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.nodedaemon.apparmor.AppArmorProfileReconciler;
import dev.profileops.nodedaemon.config.DaemonConfigs;
import dev.profileops.nodedaemon.config.SeccompPolicy;
import dev.profileops.nodedaemon.recording.BpfRecordingReconciler;
import dev.profileops.nodedaemon.recording.LogRecordingReconciler;
import dev.profileops.nodedaemon.seccomp.SeccompFileGuard;
import dev.profileops.nodedaemon.seccomp.SeccompProfileInstaller;
import dev.profileops.nodedaemon.seccomp.SeccompProfileReconciler;
import dev.profileops.nodedaemon.selinux.RawSelinuxProfileReconciler;
import dev.profileops.nodedaemon.selinux.SelinuxProfileReconciler;
import dev.profileops.nodedaemon.status.NodeStatusWriter;
import dev.profileops.recorder.RecordingMetadata;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-node daemon in cluster mode: watches the profile kinds and installs them on this node, and
 * puts back the files it installed when someone on the node edits or deletes them
 * ({@link SeccompFileGuard}).
 *
 * <pre>{@code
 * Path kubeletDir = NodeDaemon.kubeletDir(System.getenv());
 * try (var daemon = new NodeDaemon(client, System.getenv("NODE_NAME"), kubeletDir)) {
 *   daemon.start();                           // the files of the profiles in place, informers synced
 *   daemon.awaitReady(Duration.ofMinutes(2)); // true at once, unless the start-up pass failed
 *   daemon.awaitReported(Duration.ofMinutes(2)); // every profile's statuses written once
 *   ...                                       // block until shutdown
 * }
 * }</pre>
 */
public final class NodeDaemon implements AutoCloseable {
  public static final String KUBELET_DIR_ENV = "KUBELET_DIR";
  public static final Path DEFAULT_KUBELET_DIR = Path.of("/var/lib/kubelet");
  /** Finalizers are {@code <node>.}{@value}{@code /deleted}; see {@link #finalizerFor(String)}. */
  public static final String FINALIZER_DOMAIN = "node.profileops.dev";
  /** A node's finalizer on profiles is {@code <node>}{@value}. */
  public static final String PROFILE_FINALIZER_SUFFIX = "." + FINALIZER_DOMAIN + "/deleted";
  /** A node's finalizer on BPF ProfileRecordings is {@code <node>}{@value}. */
  public static final String BPF_RECORDING_FINALIZER_SUFFIX = RecordingMetadata.BPF_NODE_FINALIZER_SUFFIX;
  /** A node's finalizer on log ProfileRecordings is {@code <node>}{@value}. */
  public static final String LOG_RECORDING_FINALIZER_SUFFIX = RecordingMetadata.LOG_NODE_FINALIZER_SUFFIX;
  /** Concurrent reconciles of the daemon's controllers. */
  public static final int RECONCILIATION_THREADS = 8;

  private static final Logger log = LoggerFactory.getLogger(NodeDaemon.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final Operator operator;
  private final SeccompProfileReconciler seccomp;
  private final SeccompFileGuard seccompFiles;
  private final SecurityModules modules;
  private final String configNamespace;
  private volatile Set<String> profilesAtStart;
  private volatile boolean ready;
  private volatile boolean reported;
  private volatile BpfRecordingReconciler recording;

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
    this.client = client;
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
    NodeStatusWriter statusWriter = new NodeStatusWriter(client, nodeName);
    this.seccomp = new SeccompProfileReconciler(seccompFiles, statusWriter);
    // The daemon config spod lives in the daemon's own namespace (the service account's, in a cluster).
    this.configNamespace = client.getNamespace();
    if (configNamespace != null) {
      seccomp.useDaemonConfig(configNamespace, SeccompPolicy.UNRESTRICTED);
    }
    operator.register(seccomp, profileController(finalizer));
    this.modules = modules;
    if (modules.selinux() != null) {
      operator.register(new SelinuxProfileReconciler(modules.selinux(), statusWriter, modules.gates()), profileController(finalizer));
      operator.register(new RawSelinuxProfileReconciler(modules.selinux(), statusWriter, modules.gates()), profileController(finalizer));
    }
    if (modules.appArmor() != null) {
      operator.register(new AppArmorProfileReconciler(modules.appArmor(), statusWriter, modules.gates()), profileController(finalizer));
    }
  }

  /** How every profile kind's controller runs: with this node's finalizer, on the updates that matter. */
  private static <R extends CustomResource<?, ?>> Consumer<ControllerConfigurationOverrider<R>> profileController(String finalizer) {
    return c -> c
        .withFinalizer(finalizer)
        // Label changes (spo.x-k8s.io/partial) count too, which plain generation-awareness would skip.
        .withGenerationAware(false)
        .withOnUpdateFilter(ProfileUpdates.relevant(finalizer));
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
    return validFinalizer(nodeName, nodeName + PROFILE_FINALIZER_SUFFIX);
  }

  private static String validFinalizer(String nodeName, String finalizer) {
    if (!HasMetadata.validateFinalizer(finalizer)) {
      throw new IllegalArgumentException("node name " + nodeName + " does not make a valid finalizer: " + finalizer);
    }
    return finalizer;
  }

  /**
   * Records the containers of ProfileRecordings ({@code recorder: Bpf}) on this node. Call before
   * {@link #start}. Its finalizer, {@code <node>.recording.profileops.dev/published}, keeps a deleted
   * recording until this node has published what its containers did.
   */
  public void enableBpfRecording(BpfRecordingReconciler recording) {
    String finalizer = validFinalizer(nodeName, nodeName + BPF_RECORDING_FINALIZER_SUFFIX);
    operator.register(recording, c -> c.withFinalizer(finalizer));
    this.recording = recording;
  }

  /**
   * Records the containers of ProfileRecordings ({@code recorder: Logs}, seccomp) on this node from the
   * kernel's log lines, which the node's log enricher must feed into the reconciler's
   * {@link dev.profileops.nodedaemon.recording.LoggedSyscalls}. Call before {@link #start}. Its own
   * finalizer, {@code <node>.recording.profileops.dev/logs-published}, so the BPF path is not held up.
   */
  public void enableLogRecording(LogRecordingReconciler logRecording) {
    String finalizer = validFinalizer(nodeName, nodeName + LOG_RECORDING_FINALIZER_SUFFIX);
    operator.register(logRecording, c -> c.withFinalizer(finalizer));
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
   * {@link #installProfilesAtStart()}, then {@link #startControllers()}: returns with the files of the
   * profiles in place and the controllers' informers synced.
   */
  public void start() {
    installProfilesAtStart();
    startControllers();
  }

  /**
   * Lists the profiles and installs their files in one pass, before the controllers start: the node
   * has its files (and {@link #isReady()} is true) before the controllers spend several API requests
   * per profile on finalizers and statuses. It costs one more list of the profiles at start. A failed
   * pass is logged and left to the reconcilers, which install every profile too.
   */
  public void installProfilesAtStart() {
    try {
      long began = System.nanoTime();
      if (configNamespace != null) {
        try {
          seccomp.usePolicy(DaemonConfigs.seccompPolicy(client, configNamespace));
        } catch (KubernetesClientException e) {
          // The config's informer brings it shortly; until then nothing is refused.
          log.warn("Daemon config {}/{} could not be read at start: {}", configNamespace, SecurityProfilesOperatorDaemon.SINGLETON_NAME, e.getMessage());
        }
      }
      List<SeccompProfile> profiles = client.resources(SeccompProfile.class).list().getItems();
      seccomp.installAll(profiles);
      profilesAtStart = profiles.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toUnmodifiableSet());
      log.info("Installed the files of {} profiles at start in {} ms", profiles.size(), (System.nanoTime() - began) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      log.warn("Installing the profiles at start failed, the reconcilers will: {}", e.toString());
    }
  }

  /** Starts watching the installed files and the controllers; returns once the informers have synced. */
  public void startControllers() {
    seccompFiles.start();
    operator.start();
    if (profilesAtStart == null) {
      // The controller's informer has synced by now: its cache holds the profiles there at start.
      profilesAtStart = seccomp.cachedNames();
    }
  }

  /**
   * True once the file of every profile that existed at start is as the profile says on this node
   * (installed, removed, or failed with the last good file kept): the node can run the pods that use
   * them. Statuses may still be on their way ({@link #isReported()}). Stays true afterwards.
   */
  public boolean isReady() {
    if (ready) {
      return true;
    }
    ready = allAtStart(seccomp::isSettledOnNode);
    return ready;
  }

  /**
   * True once every profile that existed at start has been reconciled (or cleaned up) on this node at
   * least once: its node status and profile status written. Stays true afterwards.
   */
  public boolean isReported() {
    if (reported) {
      return true;
    }
    reported = allAtStart(seccomp::hasHandled);
    return reported;
  }

  private boolean allAtStart(Predicate<String> done) {
    Set<String> expected = profilesAtStart;
    if (expected == null) {
      return false;
    }
    // A profile deleted before its first reconcile will never be handled; it no longer counts.
    return expected.stream().allMatch(name -> done.test(name) || !seccomp.isCached(name));
  }

  /** Waits until {@link #isReady()}; false when the timeout passed first. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return await(this::isReady, timeout);
  }

  /** Waits until {@link #isReported()}; false when the timeout passed first. */
  public boolean awaitReported(Duration timeout) throws InterruptedException {
    return await(this::isReported, timeout);
  }

  private static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
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
      if (recording != null) {
        recording.close();
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
