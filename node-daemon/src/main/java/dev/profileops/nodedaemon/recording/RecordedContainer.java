package dev.profileops.nodedaemon.recording;

import java.time.Instant;

/**
 * One container this node records for a ProfileRecording: which pod and container it is, the
 * runtime's id for it, and where the recorder keeps its syscalls (the mount namespace of its init).
 */
public record RecordedContainer(
    String recordingNamespace,
    String recording,
    String pod,
    String podUid,
    String container,
    String containerId,
    long pid,
    long mountNamespace,
    Instant started) {

  /** Which container of which pod for which recording: a container restarted in place is a new one. */
  public record Key(String recordingNamespace, String recording, String podUid, String container, String containerId) {
    /** Whether the container is recorded for the ProfileRecording {@code namespace/name}. */
    public boolean isFor(String namespace, String name) {
      return recordingNamespace.equals(namespace) && recording.equals(name);
    }
  }

  /** The container of {@code key}, in the pod named {@code pod}, found at {@code pid} in that mount namespace. */
  public static RecordedContainer of(Key key, String pod, long pid, long mountNamespace, Instant started) {
    return new RecordedContainer(key.recordingNamespace(), key.recording(), pod, key.podUid(), key.container(),
        key.containerId(), pid, mountNamespace, started);
  }

  /**
   * The id in a pod's {@code containerStatuses[].containerID}, {@code <runtime>://<id>}, without the
   * runtime; null for none.
   */
  public static String runtimeId(String containerStatusId) {
    if (containerStatusId == null || containerStatusId.isBlank()) {
      return null;
    }
    int scheme = containerStatusId.indexOf("://");
    return scheme < 0 ? containerStatusId : containerStatusId.substring(scheme + 3);
  }
}
