package dev.profileops.api.recording;

/** Whether per-replica profiles are merged into one per container. */
public enum MergeStrategy {
  None,
  Containers
}
