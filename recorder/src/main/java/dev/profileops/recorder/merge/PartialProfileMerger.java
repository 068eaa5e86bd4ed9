package dev.profileops.recorder.merge;

import dev.profileops.api.common.ProfileSpec;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.recorder.RecordedKind;
import dev.profileops.recorder.RecordingMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the per-replica (partial) profiles of one container into what is published, for any recorded
 * kind. {@code Containers}: one profile {@code <recording>-<container>} allowing every rule any replica
 * allowed, with how many replicas used each ({@link RuleCoverage}; on a seccomp profile also as SPO's
 * annotation). {@code None}: one profile per replica, {@code <recording>-<container>-<replica>}. Either
 * way the partial label is gone and the recording and container labels are set, as SPO names them.
 */
public final class PartialProfileMerger {

  public <P extends CustomResource<? extends ProfileSpec, ?>> MergeResult<P> merge(RecordedKind<P> kind, String recording,
      String container, List<ReplicaProfile<P>> replicas, MergeStrategy strategy) {
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("no replica of container " + container + " was recorded for " + recording);
    }
    Set<String> suffixes = new HashSet<>();
    for (ReplicaProfile<P> r : replicas) {
      if (!suffixes.add(r.replica())) {
        throw new IllegalArgumentException("replica " + r.replica() + " of " + container + " was given twice");
      }
    }
    if (strategy == MergeStrategy.None) {
      List<P> profiles = new ArrayList<>();
      for (ReplicaProfile<P> r : replicas) {
        // A deep copy, so the published profile shares nothing with what the recorder holds.
        profiles.add(named(kind.withSpecOf(r.profile()), recording, container,
            RecordingMetadata.name(recording, container) + "-" + r.replica()));
      }
      return new MergeResult<>(profiles, Optional.empty());
    }
    TreeMap<String, Integer> seen = new TreeMap<>();
    for (ReplicaProfile<P> r : replicas) {
      for (String rule : kind.rules(r.profile())) {
        seen.merge(rule, 1, Integer::sum);
      }
    }
    RuleCoverage coverage = new RuleCoverage(replicas.size(), seen);
    P merged = named(kind.union(replicas.stream().map(ReplicaProfile::profile).toList()), recording, container,
        RecordingMetadata.name(recording, container));
    kind.annotateCoverage(merged, coverage);
    return new MergeResult<>(List.of(merged), Optional.of(coverage));
  }

  private static <P extends CustomResource<? extends ProfileSpec, ?>> P named(P profile, String recording, String container,
      String name) {
    profile.setMetadata(new ObjectMetaBuilder().withName(name)
        .addToLabels(RecordingMetadata.LABEL_RECORDING_ID, recording)
        .addToLabels(RecordingMetadata.LABEL_CONTAINER_ID, container)
        .build());
    return profile;
  }
}
