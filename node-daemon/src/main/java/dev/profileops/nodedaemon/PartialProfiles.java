package dev.profileops.nodedaemon;

import dev.profileops.api.SpoApi;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/**
 * Profiles labelled {@value SpoApi#LABEL_PARTIAL}: one container's recording, not installed on a node
 * until it is merged into a full profile. The same test for every profile kind.
 */
public final class PartialProfiles {
  private PartialProfiles() {}

  public static boolean isPartial(HasMetadata profile) {
    Map<String, String> labels = profile.getMetadata().getLabels();
    return labels != null && "true".equalsIgnoreCase(labels.get(SpoApi.LABEL_PARTIAL));
  }
}
