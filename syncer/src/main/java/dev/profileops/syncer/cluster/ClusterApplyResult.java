package dev.profileops.syncer.cluster;

import java.util.List;

/** What one apply to the cluster did, as {@code Kind/name} ids; unchanged objects were not written. */
public record ClusterApplyResult(List<String> applied, List<String> unchanged, List<String> pruned, List<String> kept) {}
