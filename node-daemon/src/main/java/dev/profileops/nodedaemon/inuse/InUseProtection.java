package dev.profileops.nodedaemon.inuse;

import dev.profileops.api.seccomp.SeccompProfile;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-use protection, run by the controller: a SeccompProfile that running pods use lists them in
 * {@code status.activeWorkloads} and carries the finalizer {@value #FINALIZER}, so that deleting it
 * leaves it (and its files on the nodes, which the node daemons keep while the finalizer is there)
 * until the last of those pods is gone. A pod uses a profile when its pod-level or any container's
 * {@code seccompProfile} is {@code Localhost} {@code operator/<name>.json}; it is gone when deleted or
 * finished (Succeeded or Failed).
 *
 * <p>Two informers (pods, profiles) rather than a JOSDK reconciler: JOSDK does not reconcile an object
 * being deleted unless it holds a finalizer of its own on every profile, which would block every
 * deletion while the controller is down.
 */
public final class InUseProtection implements AutoCloseable {
  /** SPO's name, kept for compatibility (it has no domain, so it is written with JSON patches). */
  public static final String FINALIZER = "in-use-by-active-pods";
  private static final Logger log = LoggerFactory.getLogger(InUseProtection.class);
  private static final String BY_PROFILE = "seccomp-profile";
  private static final String PREFIX = "operator/";
  private static final String SUFFIX = ".json";

  private final KubernetesClient client;
  /** One worker: names wait here once however many events name them. */
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "in-use-protection");
    t.setDaemon(true);
    return t;
  });
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<SeccompProfile> profiles;

  public InUseProtection(KubernetesClient client) {
    this.client = client;
  }

  /** Starts both informers and returns once they have synced; every profile is looked at once. */
  public void start() {
    pods = client.pods().inAnyNamespace().runnableInformer(0);
    pods.addIndexers(Map.of(BY_PROFILE, pod -> profilesUsedBy(pod).toList()));
    pods.addEventHandler(handler(pod -> profilesUsedBy(pod).forEach(this::enqueue)));
    profiles = client.resources(SeccompProfile.class).runnableInformer(0);
    profiles.addEventHandler(handler(profile -> enqueue(profile.getMetadata().getName())));
    pods.start().toCompletableFuture().join();
    profiles.start().toCompletableFuture().join();
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> changed) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        changed.accept(object);
      }

      @Override
      public void onUpdate(T before, T now) {
        changed.accept(before);
        changed.accept(now);
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {
        changed.accept(object);
      }
    };
  }

  private void enqueue(String profile) {
    if (queued.add(profile)) {
      worker.execute(() -> {
        queued.remove(profile);
        try {
          reconcile(profile);
        } catch (RuntimeException e) {
          log.warn("In-use protection of SeccompProfile {} failed, retried on its next event: {}", profile,
              e instanceof KubernetesClientException k ? k.getCode() + " " + k.getMessage() : e.toString());
        }
      });
    }
  }

  /** Brings the finalizer and {@code status.activeWorkloads} of one profile in line with the pods. */
  void reconcile(String name) {
    SeccompProfile profile = profiles.getIndexer().getByKey(name);
    if (profile == null) {
      return;
    }
    List<String> active = pods.getIndexer().byIndex(BY_PROFILE, name).stream()
        .filter(InUseProtection::running)
        .map(pod -> pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName())
        .sorted().toList();
    boolean has = profile.hasFinalizer(FINALIZER);
    try {
      List<String> finalizers = profile.getMetadata().getFinalizers();
      if (!active.isEmpty() && !has && !profile.isMarkedForDeletion()) {
        // The API server refuses new finalizers on an object being deleted: only before.
        replaceFinalizers(profile, finalizers, Stream.concat(finalizers.stream(), Stream.of(FINALIZER)).toList());
      } else if (active.isEmpty() && has) {
        replaceFinalizers(profile, finalizers, finalizers.stream().filter(f -> !f.equals(FINALIZER)).toList());
        log.info("SeccompProfile {} is no longer used by running pods", name);
      }
      List<String> recorded = profile.getStatus() == null ? List.of() : profile.getStatus().getActiveWorkloads();
      if (!Objects.equals(recorded, active) && !(profile.isMarkedForDeletion() && active.isEmpty())) {
        // A JSON patch replaces the list whole (node daemons carry it over in their status writes).
        String value = Serialization.asJson(active);
        client.resource(profile).subresource("status").patch(PatchContext.of(PatchType.JSON), profile.getStatus() == null
            ? "[{\"op\":\"add\",\"path\":\"/status\",\"value\":{\"activeWorkloads\":" + value + "}}]"
            : "[{\"op\":\"add\",\"path\":\"/status/activeWorkloads\",\"value\":" + value + "}]");
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409 && e.getCode() != 422) {
        throw e;
      }
      // Gone, or changed under us (the test op failed): its next event brings it back here.
      log.debug("SeccompProfile {} changed while its workloads were written: {}", name, e.getMessage());
    }
  }

  /**
   * Swaps the whole finalizer list, on condition that it is still the one we saw: node daemons add and
   * remove theirs concurrently, and a changed list fails the test (422) instead of dropping theirs.
   */
  private void replaceFinalizers(SeccompProfile profile, List<String> seen, List<String> wanted) {
    String patch = profile.getMetadata().getFinalizers().isEmpty()
        ? "[{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":" + Serialization.asJson(wanted) + "}]"
        : "[{\"op\":\"test\",\"path\":\"/metadata/finalizers\",\"value\":" + Serialization.asJson(seen) + "},"
            + "{\"op\":\"replace\",\"path\":\"/metadata/finalizers\",\"value\":" + Serialization.asJson(wanted) + "}]";
    client.resource(profile).patch(PatchContext.of(PatchType.JSON), patch);
  }

  /** Running, or about to: not finished. A pod being deleted still runs until it is gone. */
  static boolean running(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  /** Names of the SeccompProfiles a pod uses, from its pod-level and containers' security contexts. */
  static Stream<String> profilesUsedBy(Pod pod) {
    if (pod.getSpec() == null) {
      return Stream.empty();
    }
    PodSecurityContext podContext = pod.getSpec().getSecurityContext();
    Stream<io.fabric8.kubernetes.api.model.SeccompProfile> podLevel =
        podContext == null ? Stream.empty() : Stream.ofNullable(podContext.getSeccompProfile());
    Stream<io.fabric8.kubernetes.api.model.SeccompProfile> containers = Stream.of(pod.getSpec().getInitContainers(), pod.getSpec().getContainers())
        .filter(Objects::nonNull).flatMap(List::stream)
        .map(Container::getSecurityContext).filter(Objects::nonNull)
        .map(c -> c.getSeccompProfile()).filter(Objects::nonNull);
    Stream<io.fabric8.kubernetes.api.model.SeccompProfile> ephemeral = pod.getSpec().getEphemeralContainers() == null ? Stream.empty()
        : pod.getSpec().getEphemeralContainers().stream().map(c -> c.getSecurityContext()).filter(Objects::nonNull)
            .map(c -> c.getSeccompProfile()).filter(Objects::nonNull);
    return Stream.of(podLevel, containers, ephemeral).flatMap(s -> s)
        .filter(p -> "Localhost".equals(p.getType()) && p.getLocalhostProfile() != null)
        .map(io.fabric8.kubernetes.api.model.SeccompProfile::getLocalhostProfile)
        .filter(path -> path.startsWith(PREFIX) && path.endsWith(SUFFIX) && path.length() > PREFIX.length() + SUFFIX.length())
        .map(path -> path.substring(PREFIX.length(), path.length() - SUFFIX.length()))
        .filter(n -> !n.contains("/"))
        .distinct();
  }

  /** The set form, for tests. */
  static Set<String> profileNamesUsedBy(Pod pod) {
    return profilesUsedBy(pod).collect(Collectors.toSet());
  }

  @Override
  public void close() {
    if (pods != null) {
      pods.close();
    }
    if (profiles != null) {
      profiles.close();
    }
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
