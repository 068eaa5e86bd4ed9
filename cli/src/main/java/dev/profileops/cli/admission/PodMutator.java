package dev.profileops.cli.admission;

import io.fabric8.kubernetes.api.model.Pod;

/** One mutating webhook's view of a pod being created in a namespace. May throw: the caller fails open. */
@FunctionalInterface
public interface PodMutator {
  PodMutation mutate(Pod pod, String namespace);
}
