package dev.profileops.recorder.merge;

import dev.profileops.api.common.ProfileSpec;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Objects;

/**
 * What one replica of a container recorded.
 *
 * @param replica the suffix that tells this replica's profile apart ({@code <recording>-<container>-<replica>})
 * @param node the node the replica ran on
 */
public record ReplicaProfile<P extends CustomResource<? extends ProfileSpec, ?>>(String replica, String node, P profile) {
  public ReplicaProfile {
    if (replica == null || replica.isBlank()) {
      throw new IllegalArgumentException("a replica profile needs its replica suffix");
    }
    Objects.requireNonNull(profile, "profile");
    if (profile.getSpec() == null) {
      throw new IllegalArgumentException("the profile of replica " + replica + " has no spec");
    }
  }
}
