package dev.profileops.nodedaemon.enricher.resolve;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The node's pods, watched with an informer indexed by the container ids in their statuses
 * ({@code containerd://<id>}, {@code cri-o://<id>}, {@code docker://<id>}), of containers, init
 * containers and ephemeral containers alike.
 */
public final class NodePodDirectory implements PodDirectory, AutoCloseable {
  private static final String BY_CONTAINER_ID = "containerId";

  private final SharedIndexInformer<Pod> informer;

  private NodePodDirectory(SharedIndexInformer<Pod> informer) {
    this.informer = informer;
  }

  /** Starts watching the pods scheduled to {@code node}, selected by the API server. */
  public static NodePodDirectory start(KubernetesClient client, String node) {
    return start(client, node, true);
  }

  /**
   * As {@link #start(KubernetesClient, String)}; without the field selector (the mock API server
   * does not support it) all pods are watched and those of other nodes left out of the index.
   */
  public static NodePodDirectory start(KubernetesClient client, String node, boolean fieldSelector) {
    var pods = client.pods().inAnyNamespace();
    SharedIndexInformer<Pod> informer = (fieldSelector ? pods.withField("spec.nodeName", node) : pods).runnableInformer(0);
    Function<Pod, List<String>> index = pod -> pod.getSpec() != null && node.equals(pod.getSpec().getNodeName()) ? containerIds(pod) : List.of();
    informer.addIndexers(Map.of(BY_CONTAINER_ID, index));
    informer.start();
    return new NodePodDirectory(informer);
  }

  @Override
  public Optional<PodContainer> find(String containerId) {
    for (Pod pod : informer.getIndexer().byIndex(BY_CONTAINER_ID, containerId)) {
      for (ContainerStatus status : statuses(pod)) {
        if (containerId.equals(runtimeId(status.getContainerID()))) {
          return Optional.of(new PodContainer(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), status.getName()));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    informer.close();
  }

  private static List<String> containerIds(Pod pod) {
    List<String> ids = new ArrayList<>();
    for (ContainerStatus status : statuses(pod)) {
      String id = runtimeId(status.getContainerID());
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  private static List<ContainerStatus> statuses(Pod pod) {
    List<ContainerStatus> all = new ArrayList<>();
    if (pod.getStatus() != null) {
      addAll(all, pod.getStatus().getContainerStatuses());
      addAll(all, pod.getStatus().getInitContainerStatuses());
      addAll(all, pod.getStatus().getEphemeralContainerStatuses());
    }
    return all;
  }

  private static void addAll(List<ContainerStatus> all, List<ContainerStatus> some) {
    if (some != null) {
      all.addAll(some);
    }
  }

  /** {@code containerd://abc} is {@code abc}. */
  static String runtimeId(String containerId) {
    if (containerId == null || containerId.isEmpty()) {
      return null;
    }
    int scheme = containerId.indexOf("://");
    return scheme < 0 ? containerId : containerId.substring(scheme + 3);
  }
}
