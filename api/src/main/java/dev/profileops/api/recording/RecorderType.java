package dev.profileops.api.recording;

/** How a recording observes the workload. */
public enum RecorderType {
  Logs,
  Bpf
}
