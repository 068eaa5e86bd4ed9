package dev.profileops.recorder.merge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.api.recording.MergeStrategy;
import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompArch;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.api.seccomp.SyscallRule;
import dev.profileops.recorder.seccomp.RecordedSeccompProfile;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the per-replica (partial) profiles of one container into what is published. {@code Containers}:
 * one profile {@code <recording>-<container>} allowing every syscall any replica used, annotated with
 * how many replicas used each ({@link SyscallCoverage}). {@code None}: one profile per replica,
 * {@code <recording>-<container>-<replica>}. Either way the partial label is gone and the recording
 * and container labels are set, as SPO names them.
 */
public final class PartialProfileMerger {
  private static final ObjectMapper JSON = new ObjectMapper();

  public MergeResult merge(String recording, String container, List<ReplicaProfile> replicas, MergeStrategy strategy) {
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("no replica of container " + container + " was recorded for " + recording);
    }
    Set<String> suffixes = new HashSet<>();
    for (ReplicaProfile r : replicas) {
      if (!suffixes.add(r.replica())) {
        throw new IllegalArgumentException("replica " + r.replica() + " of " + container + " was given twice");
      }
    }
    if (strategy == MergeStrategy.None) {
      List<SeccompProfile> profiles = new ArrayList<>();
      for (ReplicaProfile r : replicas) {
        SeccompProfile profile = profile(recording, container,
            RecordedSeccompProfile.name(recording, container) + "-" + r.replica(), copyOf(r.profile().getSpec()));
        profiles.add(profile);
      }
      return new MergeResult(profiles, Optional.empty());
    }
    TreeMap<String, Integer> seen = new TreeMap<>();
    LinkedHashSet<SeccompArch> architectures = new LinkedHashSet<>();
    for (ReplicaProfile r : replicas) {
      SeccompProfileSpec spec = r.profile().getSpec();
      if (spec.getArchitectures() != null) {
        architectures.addAll(spec.getArchitectures());
      }
      for (String name : allowedSyscalls(spec)) {
        seen.merge(name, 1, Integer::sum);
      }
    }
    SeccompProfileSpec merged = new SeccompProfileSpec();
    SeccompProfileSpec first = replicas.get(0).profile().getSpec();
    merged.setDefaultAction(first.getDefaultAction() == null ? SeccompAction.SCMP_ACT_ERRNO : first.getDefaultAction());
    merged.setArchitectures(List.copyOf(architectures));
    merged.setSyscalls(List.of(new SyscallRule(List.copyOf(seen.keySet()), SeccompAction.SCMP_ACT_ALLOW)));
    SyscallCoverage coverage = new SyscallCoverage(replicas.size(), seen);
    SeccompProfile profile = profile(recording, container, RecordedSeccompProfile.name(recording, container), merged);
    profile.getMetadata().setAnnotations(Map.of(SyscallCoverage.ANNOTATION, coverage.toAnnotation()));
    return new MergeResult(List.of(profile), Optional.of(coverage));
  }

  /** The names of a profile's ALLOW rules, sorted; what a recording adds to and a review compares. */
  public static TreeSet<String> allowedSyscalls(SeccompProfileSpec spec) {
    TreeSet<String> names = new TreeSet<>();
    if (spec != null && spec.getSyscalls() != null) {
      for (SyscallRule rule : spec.getSyscalls()) {
        if (rule.getAction() == SeccompAction.SCMP_ACT_ALLOW && rule.getNames() != null) {
          names.addAll(rule.getNames());
        }
      }
    }
    return names;
  }

  private static SeccompProfile profile(String recording, String container, String name, SeccompProfileSpec spec) {
    SeccompProfile profile = new SeccompProfile();
    profile.setMetadata(new ObjectMetaBuilder().withName(name)
        .addToLabels(RecordedSeccompProfile.LABEL_RECORDING_ID, recording)
        .addToLabels(RecordedSeccompProfile.LABEL_CONTAINER_ID, container)
        .build());
    profile.setSpec(spec);
    return profile;
  }

  /** A deep copy, so the published profile shares nothing with what the recorder holds. */
  private static SeccompProfileSpec copyOf(SeccompProfileSpec spec) {
    return JSON.convertValue(spec, SeccompProfileSpec.class);
  }
}
