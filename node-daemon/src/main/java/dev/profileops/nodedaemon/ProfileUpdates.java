package dev.profileops.nodedaemon;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/** Which updates of a profile (of any kind) a node daemon's reconciler needs to see. */
public final class ProfileUpdates {
  private ProfileUpdates() {}

  /**
   * Spec or label changes (the partial label is not part of the spec, so generation-aware filtering
   * alone would miss it), deletion, and our finalizer appearing or missing. Status writes by any node
   * are not among them.
   */
  public static <R extends CustomResource<?, ?>> OnUpdateFilter<R> relevant(String finalizer) {
    return (now, before) -> specChanged(now, before)
        || !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels())
        || now.isMarkedForDeletion()
        || !now.hasFinalizer(finalizer)
        || !before.hasFinalizer(finalizer);
  }

  /**
   * Spec changes by generation, or by content where the server does not count generations (the
   * content is only compared then: every status write by any node is an update event).
   */
  public static boolean specChanged(CustomResource<?, ?> now, CustomResource<?, ?> before) {
    Long generation = now.getMetadata().getGeneration();
    Long previous = before.getMetadata().getGeneration();
    if (generation != null && previous != null && generation > 0 && previous > 0) {
      return !generation.equals(previous);
    }
    return !Objects.equals(generation, previous)
        || !Serialization.asJson(now.getSpec()).equals(Serialization.asJson(before.getSpec()));
  }
}
