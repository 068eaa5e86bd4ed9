package dev.profileops.recorder;

import dev.profileops.api.SpoApi;
import java.util.List;

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

  /**
   * A node daemon holds {@code <node>}{@value} on a BPF recording until it has written the profiles of
   * its containers; the recorder merges only once every node's finalizer is gone.
   */
  public static final String BPF_NODE_FINALIZER_SUFFIX = ".recording.profileops.dev/published";
  /** The same for a log recording ({@code recorder: Logs}): {@code <node>}{@value}. */
  public static final String LOG_NODE_FINALIZER_SUFFIX = ".recording.profileops.dev/logs-published";
  public static final List<String> NODE_FINALIZER_SUFFIXES = List.of(BPF_NODE_FINALIZER_SUFFIX, LOG_NODE_FINALIZER_SUFFIX);

  private RecordingMetadata() {}

  /** Whether a recording's finalizer is a node daemon's (BPF or logs), which the recorder waits for. */
  public static boolean isNodeFinalizer(String finalizer) {
    return NODE_FINALIZER_SUFFIXES.stream().anyMatch(finalizer::endsWith);
  }

  /** {@code <recording>-<container>}, the name SPO gives a recorded profile. */
  public static String name(String recording, String container) {
    return recording + "-" + container;
  }
}
