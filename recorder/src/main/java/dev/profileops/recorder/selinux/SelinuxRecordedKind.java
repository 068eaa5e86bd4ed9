package dev.profileops.recorder.selinux;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.profileops.api.selinux.PolicyRef;
import dev.profileops.api.selinux.SelinuxPolicyRules;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfileSpec;
import dev.profileops.recorder.RecordedKind;
import dev.profileops.syncer.validate.ObjectNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Recorded SELinux profiles (from the AVCs of a container that ran as {@code selinuxrecording.process}):
 * a rule is one permission on one object class of one target type, {@code <type> <class> <permission>}
 * ({@code @self file read}). Types, classes and permissions the validation's deny-list refuses are
 * left out of a proposal and listed for the reviewer.
 */
public final class SelinuxRecordedKind implements RecordedKind<SelinuxProfile> {
  public static final SelinuxRecordedKind INSTANCE = new SelinuxRecordedKind();
  private static final ObjectMapper JSON = new ObjectMapper();

  private SelinuxRecordedKind() {}

  @Override
  public Class<SelinuxProfile> type() {
    return SelinuxProfile.class;
  }

  @Override
  public String kind() {
    return SelinuxProfile.KIND;
  }

  @Override
  public String description() {
    return "SELinux profile";
  }

  @Override
  public String ruleNoun() {
    return "permission";
  }

  @Override
  public String defaultDirectory() {
    return "selinux";
  }

  @Override
  public SortedSet<String> rules(SelinuxProfile profile) {
    TreeSet<String> rules = new TreeSet<>();
    if (profile == null || profile.getSpec() == null || profile.getSpec().getAllow() == null) {
      return rules;
    }
    profile.getSpec().getAllow().forEach((type, classes) -> {
      if (classes != null) {
        classes.forEach((objectClass, permissions) -> {
          if (permissions != null) {
            permissions.forEach(permission -> rules.add(rule(type, objectClass, permission)));
          }
        });
      }
    });
    return rules;
  }

  /** {@code <type> <class> <permission>}. */
  public static String rule(String type, String objectClass, String permission) {
    return type + " " + objectClass + " " + permission;
  }

  @Override
  public SelinuxProfile withSpecOf(SelinuxProfile profile) {
    SelinuxProfile copy = new SelinuxProfile();
    copy.setSpec(JSON.convertValue(profile.getSpec(), SelinuxProfileSpec.class));
    return copy;
  }

  /** Every inherited policy (first seen first), the first replica's mode, and the union of the allow maps. */
  @Override
  public SelinuxProfile union(List<SelinuxProfile> replicas) {
    // PolicyRef has no equals: the same kind and name is the same policy.
    LinkedHashMap<String, PolicyRef> inherit = new LinkedHashMap<>();
    TreeSet<String> rules = new TreeSet<>();
    for (SelinuxProfile replica : replicas) {
      if (replica.getSpec().getInherit() != null) {
        replica.getSpec().getInherit().forEach(ref -> inherit.putIfAbsent(ref.getKind() + "/" + ref.getName(),
            new PolicyRef(ref.getKind(), ref.getName())));
      }
      rules.addAll(rules(replica));
    }
    SelinuxProfileSpec merged = new SelinuxProfileSpec();
    merged.setInherit(new ArrayList<>(inherit.values()));
    merged.setMode(replicas.get(0).getSpec().getMode());
    merged.setAllow(allowOf(rules));
    SelinuxProfile profile = new SelinuxProfile();
    profile.setSpec(merged);
    return profile;
  }

  @Override
  public Optional<String> nameProblem(String name) {
    return ObjectNames.problemWith(name).or(() -> SelinuxPolicyRules.nameProblem(name));
  }

  @Override
  public SortedMap<String, String> refusedRules(SelinuxProfile profile) {
    TreeMap<String, String> refused = new TreeMap<>();
    for (String rule : rules(profile)) {
      String[] parts = rule.split(" ", 3);
      SelinuxPolicyRules.typeProblem(parts[0])
          .or(() -> SelinuxPolicyRules.classProblem(parts[1]))
          .or(() -> SelinuxPolicyRules.permissionProblem(parts[2]))
          .ifPresent(problem -> refused.put(rule, problem));
    }
    return refused;
  }

  @Override
  public SelinuxProfile withoutRules(SelinuxProfile profile, Set<String> left) {
    if (left.isEmpty()) {
      return profile;
    }
    SelinuxProfile copy = withSpecOf(profile);
    copy.setMetadata(profile.getMetadata());
    TreeSet<String> rules = new TreeSet<>(rules(profile));
    rules.removeAll(left);
    copy.getSpec().setAllow(allowOf(rules));
    return copy;
  }

  /** The sorted allow map of {@code <type> <class> <permission>} rules. */
  private static Map<String, Map<String, List<String>>> allowOf(SortedSet<String> rules) {
    Map<String, Map<String, List<String>>> allow = new TreeMap<>();
    for (String rule : rules) {
      String[] parts = rule.split(" ", 3);
      allow.computeIfAbsent(parts[0], t -> new TreeMap<>()).computeIfAbsent(parts[1], c -> new ArrayList<>()).add(parts[2]);
    }
    return allow;
  }
}
