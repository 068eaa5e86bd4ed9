package dev.profileops.nodedaemon.nodes;

import dev.profileops.api.apparmor.AppArmorProfile;
import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.selinux.RawSelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.nodedaemon.NodeDaemon;
import dev.profileops.recorder.RecordingMetadata;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what node daemons leave behind when their node leaves the cluster: their finalizers on
 * profiles ({@code <node>.node.profileops.dev/deleted}) and recordings
 * ({@code <node>.recording.profileops.dev/published}), which would otherwise block those objects'
 * deletion forever (SPO's known pain), and their SecurityProfileNodeStatus objects, which would keep
 * the profiles' aggregated state at what the departed node last reported. Runs centrally (a node that
 * is gone cannot clean up after itself); see {@link #sweep()}.
 */
public final class DepartedNodeFinalizers implements AutoCloseable {
  /** How often {@link #start} sweeps, besides right after a node is deleted. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(2);

  private static final Logger log = LoggerFactory.getLogger(DepartedNodeFinalizers.class);
  private static final List<Class<? extends HasMetadata>> PROFILE_KINDS =
      List.of(SeccompProfile.class, SelinuxProfile.class, RawSelinuxProfile.class, AppArmorProfile.class);

  private final KubernetesClient client;
  private ScheduledExecutorService timer;
  private SharedIndexInformer<Node> nodes;

  public DepartedNodeFinalizers(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Sweeps now, every {@code interval}, and soon after a Node is deleted, on a daemon thread. Safe to
   * run in several replicas at once: each removal checks the finalizer is still where it was.
   */
  public synchronized void start(Duration interval) {
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "departed-node-finalizers");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleWithFixedDelay(this::sweepLogged, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    nodes = client.nodes().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {}

      @Override
      public void onUpdate(Node before, Node now) {}

      @Override
      public void onDelete(Node node, boolean finalStateUnknown) {
        timer.schedule(DepartedNodeFinalizers.this::sweepLogged, 1, TimeUnit.SECONDS);
      }
    });
  }

  private void sweepLogged() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("Cleaning up after departed nodes failed, next sweep retries: {}", e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (nodes != null) {
      nodes.close();
    }
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** What one sweep removed. */
  public record Sweep(int finalizers, int nodeStatuses, Set<String> departedNodes) {}

  /**
   * One pass over every profile, recording and node status. Does nothing when the cluster's node list
   * cannot be read or is empty: a failed or empty list must never look like every node departed.
   */
  public Sweep sweep() {
    Set<String> nodes;
    try {
      nodes = client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    } catch (KubernetesClientException e) {
      log.warn("Cannot list the nodes, so no departed node's finalizers are removed: {}", e.getMessage());
      return new Sweep(0, 0, Set.of());
    }
    if (nodes.isEmpty()) {
      return new Sweep(0, 0, Set.of());
    }
    int removed = 0;
    Set<String> departed = new TreeSet<>();
    for (Class<? extends HasMetadata> kind : PROFILE_KINDS) {
      removed += sweep(listOrEmpty(kind, false), List.of(NodeDaemon.PROFILE_FINALIZER_SUFFIX), nodes, departed);
    }
    // BPF and log recordings: a departed node holds either.
    removed += sweep(listOrEmpty(ProfileRecording.class, true), RecordingMetadata.NODE_FINALIZER_SUFFIXES, nodes, departed);
    int statuses = 0;
    for (SecurityProfileNodeStatus status : listOrEmpty(SecurityProfileNodeStatus.class, false)) {
      String node = status.getSpec() == null ? null : status.getSpec().getNodeName();
      if (node != null && !nodes.contains(node)) {
        client.resource(status).delete();
        departed.add(node);
        statuses++;
      }
    }
    if (removed > 0 || statuses > 0) {
      log.info("Cleaned up after departed nodes {}: {} finalizers, {} node statuses", departed, removed, statuses);
    }
    return new Sweep(removed, statuses, departed);
  }

  private int sweep(List<? extends HasMetadata> objects, List<String> suffixes, Set<String> nodes, Set<String> departed) {
    int removed = 0;
    for (HasMetadata object : objects) {
      List<String> finalizers = object.getMetadata().getFinalizers();
      if (finalizers == null) {
        continue;
      }
      for (int i = finalizers.size() - 1; i >= 0; i--) {
        String finalizer = finalizers.get(i);
        Optional<String> node = suffixes.stream().map(suffix -> nodeOf(finalizer, suffix)).flatMap(Optional::stream).findFirst();
        if (node.isPresent() && !nodes.contains(node.get())) {
          if (removeFinalizer(object, i, finalizers.get(i))) {
            departed.add(node.get());
            removed++;
          }
        }
      }
    }
    return removed;
  }

  /**
   * A JSON patch that tests the finalizer is still at that index before removing it: a list changed
   * meanwhile fails the patch instead of dropping another node's finalizer; the next sweep retries.
   */
  private boolean removeFinalizer(HasMetadata object, int index, String finalizer) {
    String patch = "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/" + index + "\",\"value\":\"" + finalizer + "\"},"
        + "{\"op\":\"remove\",\"path\":\"/metadata/finalizers/" + index + "\"}]";
    try {
      client.resource(object).patch(PatchContext.of(PatchType.JSON), patch);
      return true;
    } catch (KubernetesClientException e) {
      log.debug("Finalizer {} of {} not removed this time: {}", finalizer, object.getMetadata().getName(), e.getMessage());
      return false;
    }
  }

  private <T extends HasMetadata> List<T> listOrEmpty(Class<T> kind, boolean namespaced) {
    try {
      var resources = client.resources(kind);
      return new ArrayList<>(namespaced ? resources.inAnyNamespace().list().getItems() : resources.list().getItems());
    } catch (KubernetesClientException e) {
      // A kind whose CRD is not installed (a feature switched off): nothing of it to clean.
      return List.of();
    }
  }

  /** The node of a node daemon's finalizer, {@code <node><suffix>}. */
  static Optional<String> nodeOf(String finalizer, String suffix) {
    return finalizer.endsWith(suffix) && finalizer.length() > suffix.length()
        ? Optional.of(finalizer.substring(0, finalizer.length() - suffix.length()))
        : Optional.empty();
  }

}
