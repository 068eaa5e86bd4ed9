package dev.profileops.recorder.seccomp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompArch;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.api.seccomp.SyscallRule;
import dev.profileops.recorder.RecordedKind;
import dev.profileops.recorder.merge.RuleCoverage;
import dev.profileops.syncer.validate.ObjectNames;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Recorded seccomp profiles: rules are the names of the ALLOW entries; merged ones carry SPO's coverage annotation. */
public final class SeccompRecordedKind implements RecordedKind<SeccompProfile> {
  public static final SeccompRecordedKind INSTANCE = new SeccompRecordedKind();
  private static final ObjectMapper JSON = new ObjectMapper();

  private SeccompRecordedKind() {}

  @Override
  public Class<SeccompProfile> type() {
    return SeccompProfile.class;
  }

  @Override
  public String kind() {
    return SeccompProfile.KIND;
  }

  @Override
  public String description() {
    return "seccomp profile";
  }

  @Override
  public String ruleNoun() {
    return "syscall";
  }

  @Override
  public String defaultDirectory() {
    return "seccomp";
  }

  /** The names of the profile's ALLOW rules; base profiles are not resolved (a reviewer reads the file). */
  @Override
  public SortedSet<String> rules(SeccompProfile profile) {
    return allowedSyscalls(profile == null ? null : profile.getSpec());
  }

  /** The names of a spec's ALLOW rules, sorted. */
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

  @Override
  public SeccompProfile withSpecOf(SeccompProfile profile) {
    SeccompProfile copy = new SeccompProfile();
    copy.setSpec(JSON.convertValue(profile.getSpec(), SeccompProfileSpec.class));
    return copy;
  }

  /** The first replica's default action (ERRNO when it has none), every architecture, one sorted ALLOW entry. */
  @Override
  public SeccompProfile union(List<SeccompProfile> replicas) {
    TreeSet<String> syscalls = new TreeSet<>();
    LinkedHashSet<SeccompArch> architectures = new LinkedHashSet<>();
    for (SeccompProfile replica : replicas) {
      if (replica.getSpec().getArchitectures() != null) {
        architectures.addAll(replica.getSpec().getArchitectures());
      }
      syscalls.addAll(rules(replica));
    }
    SeccompProfileSpec merged = new SeccompProfileSpec();
    SeccompAction first = replicas.get(0).getSpec().getDefaultAction();
    merged.setDefaultAction(first == null ? SeccompAction.SCMP_ACT_ERRNO : first);
    merged.setArchitectures(List.copyOf(architectures));
    merged.setSyscalls(List.of(new SyscallRule(List.copyOf(syscalls), SeccompAction.SCMP_ACT_ALLOW)));
    SeccompProfile profile = new SeccompProfile();
    profile.setSpec(merged);
    return profile;
  }

  @Override
  public Optional<String> nameProblem(String name) {
    // The name becomes a file name in the repository: only what Kubernetes takes as a name.
    return ObjectNames.problemWith(name);
  }

  @Override
  public void annotateCoverage(SeccompProfile merged, RuleCoverage coverage) {
    Map<String, String> annotations = new TreeMap<>(merged.getMetadata().getAnnotations() == null ? Map.of()
        : merged.getMetadata().getAnnotations());
    annotations.put(SyscallCoverageAnnotation.ANNOTATION, SyscallCoverageAnnotation.write(coverage));
    merged.getMetadata().setAnnotations(annotations);
  }
}
