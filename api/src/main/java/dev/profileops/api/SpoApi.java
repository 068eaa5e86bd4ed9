package dev.profileops.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/** Names shared with the Kubernetes Security Profiles Operator, so SPO manifests move over unchanged. */
public final class SpoApi {
  public static final String GROUP = "security-profiles-operator.x-k8s.io";
  public static final String VERSION = "v1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  public static final String LABEL_PARTIAL = "spo.x-k8s.io/partial";
  public static final String LABEL_PROFILE_ID = "spo.x-k8s.io/profile-id";
  public static final String LABEL_NODE_NAME = "spo.x-k8s.io/node-name";
  public static final String LABEL_PROFILE_STATE = "spo.x-k8s.io/profile-state";
  public static final String LABEL_PROFILE_KIND = "spo.x-k8s.io/profile-kind";

  /** Our own labels and annotations on what the syncer applies. */
  public static final String PROFILEOPS_DOMAIN = "profileops.dev";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "profileops";
  public static final String LABEL_SOURCE = PROFILEOPS_DOMAIN + "/source";
  public static final String ANNOTATION_PATH = PROFILEOPS_DOMAIN + "/path";
  public static final String ANNOTATION_REVISION = PROFILEOPS_DOMAIN + "/revision";

  private SpoApi() {}

  /**
   * Whether the object is labelled {@value #LABEL_PARTIAL}{@code : "true"} (any case): one replica's
   * recording, never installed on a node or locally until it is merged into a full profile.
   */
  public static boolean isPartial(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels != null && "true".equalsIgnoreCase(labels.get(LABEL_PARTIAL));
  }
}
