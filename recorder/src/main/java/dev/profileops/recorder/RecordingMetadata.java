package dev.profileops.recorder;

import dev.profileops.api.SpoApi;

/**
 * The name, labels and annotations of a recorded profile of any kind: SPO's labels, and ours for what
 * the recorder needs to merge and describe the replicas (where and when each was recorded).
 */
public final class RecordingMetadata {
  public static final String LABEL_RECORDING_ID = "spo.x-k8s.io/recording-id";
  public static final String LABEL_CONTAINER_ID = "spo.x-k8s.io/container-id";
  /** On a profile a node recorded: the recording's namespace (profiles are cluster-scoped, recordings not). */
  public static final String ANNOTATION_RECORDING_NAMESPACE = SpoApi.PROFILEOPS_DOMAIN + "/recording-namespace";
  /** {@code <namespace>/<pod>} of the recorded replica. */
  public static final String ANNOTATION_POD = SpoApi.PROFILEOPS_DOMAIN + "/recorded-pod";
  public static final String ANNOTATION_NODE = SpoApi.PROFILEOPS_DOMAIN + "/recorded-node";
  /** The recording window of the replica, ISO-8601 instants. */
  public static final String ANNOTATION_STARTED = SpoApi.PROFILEOPS_DOMAIN + "/recording-started";
  public static final String ANNOTATION_ENDED = SpoApi.PROFILEOPS_DOMAIN + "/recording-ended";

  private RecordingMetadata() {}

  /** {@code <recording>-<container>}, the name SPO gives a recorded profile. */
  public static String name(String recording, String container) {
    return recording + "-" + container;
  }
}
