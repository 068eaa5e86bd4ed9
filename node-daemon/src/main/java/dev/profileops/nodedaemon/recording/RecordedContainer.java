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
  public record Key(String recordingNamespace, String recording, String podUid, String container, String containerId) {}

  public Key key() {
    return new Key(recordingNamespace, recording, podUid, container, containerId);
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
