package dev.profileops.cli.admission;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.function.BiFunction;

/** One mutating webhook's view of a pod being created in a namespace. May throw: the caller fails open. */
@FunctionalInterface
public interface PodMutator {
  PodMutation mutate(Pod pod, String namespace);

  /** The objects of a namespace that decide what happens to its pods (ProfileBindings, ProfileRecordings). */
  @FunctionalInterface
  interface InNamespace<T> {
    List<T> in(String namespace);
  }

  /** A mutation by the objects of the pod's namespace, listed for each pod. */
  static <T> PodMutator listing(InNamespace<T> objects, BiFunction<Pod, List<T>, PodMutation> mutation) {
    return (pod, namespace) -> mutation.apply(pod, objects.in(namespace));
  }
}
