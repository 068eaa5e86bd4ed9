package dev.profileops.nodedaemon.enricher.resolve;

import java.util.Optional;

/** Finds the pod container of a container id among the node's pods. */
@FunctionalInterface
public interface PodDirectory {
  /** Without a cluster (local mode) no container has a pod. */
  PodDirectory NONE = containerId -> Optional.empty();

  Optional<PodContainer> find(String containerId);
}
