package dev.profileops.syncer.profilesource;

import dev.profileops.api.SpoApi;
import dev.profileops.syncer.cluster.ClusterState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Two sources may not own one object: whoever labelled it first keeps it, the other reports a
 * conflict and applies nothing for it.
 */
final class OwnershipGuard {
  private final Map<String, String> ownerById = new HashMap<>();

  OwnershipGuard(ClusterState state) {
    state.labelled().forEach(o -> ownerById.put(id(o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName()),
        o.getMetadata().getLabels().get(SpoApi.LABEL_SOURCE)));
  }

  /** The other source that owns this object, or null when it is free or ours. */
  String otherOwner(HasMetadata object, String namespace, String source) {
    String owner = ownerById.get(id(object.getKind(), namespace, object.getMetadata().getName()));
    return owner == null || Objects.equals(owner, source) ? null : owner;
  }

  private static String id(String kind, String namespace, String name) {
    return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
  }
}
