package dev.profileops.recorder;

import dev.profileops.api.common.ProfileSpec;
import dev.profileops.recorder.merge.RuleCoverage;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * What merging and publishing need to know of one kind of recorded profile. A recorded profile is
 * compared, merged and reviewed as a set of allow rules in a canonical text form: a syscall name for a
 * SeccompProfile, {@code <type> <class> <permission>} for a SelinuxProfile. Implementations:
 * {@code seccomp.SeccompRecordedKind}, {@code selinux.SelinuxRecordedKind}.
 */
public interface RecordedKind<P extends CustomResource<? extends ProfileSpec, ?>> {

  Class<P> type();

  /** The kind as manifests spell it ({@code SeccompProfile}). */
  String kind();

  /** For people: {@code seccomp profile}. */
  String description();

  /** What one rule is, for people: {@code syscall}. */
  String ruleNoun();

  /** The directory a repository with none of this kind gets its first profile in. */
  String defaultDirectory();

  /** The rules a profile allows, sorted; empty for null. */
  SortedSet<String> rules(P profile);

  /** A new profile with no metadata but a name-less {@code ObjectMeta}, and a deep copy of {@code spec}'s spec. */
  P withSpecOf(P spec);

  /** One profile (spec only) allowing every rule any of the replicas allowed; replicas not empty. */
  P union(List<P> replicas);

  /** Why the name cannot be this kind's, if it cannot. */
  Optional<String> nameProblem(String name);

  /** Puts the coverage of a merged profile on it where this kind has an annotation for it (SPO: seccomp only). */
  default void annotateCoverage(P merged, RuleCoverage coverage) {}

  /**
   * The rules of a recorded profile the repository's validation refuses, with the reason: they are left
   * out of what is proposed and listed for the reviewer instead, so that a recording never proposes a
   * file the syncer would reject.
   */
  default SortedMap<String, String> refusedRules(P profile) {
    return new TreeMap<>();
  }

  /** A copy of the profile without those rules. */
  default P withoutRules(P profile, Set<String> rules) {
    if (rules.isEmpty()) {
      return profile;
    }
    throw new UnsupportedOperationException(kind() + " has no rule a recording leaves out");
  }
}
