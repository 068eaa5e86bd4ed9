package dev.profileops.syncer.cluster;

import java.util.List;

/** What one apply to the cluster did, as {@code Kind/name} ids. */
public record ClusterApplyResult(List<String> applied, List<String> pruned, List<String> kept) {}
