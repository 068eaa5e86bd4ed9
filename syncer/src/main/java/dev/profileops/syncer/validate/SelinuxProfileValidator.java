package dev.profileops.syncer.validate;

import dev.profileops.api.selinux.PolicyRef;
import dev.profileops.api.selinux.RawCilCheck;
import dev.profileops.api.selinux.RawSelinuxProfileSpec;
import dev.profileops.api.selinux.SelinuxPolicyRules;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfileSpec;
import dev.profileops.syncer.source.LocatedDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks one SelinuxProfile or RawSelinuxProfile on its own: the name (it becomes a CIL block), the
 * inherit list against the System allow-list, type/class/permission names and the deny-list, and for
 * raw CIL the text, parentheses and statements. Inherited SelinuxProfiles are checked across the
 * repository by {@link CrossObjectChecks}.
 */
public final class SelinuxProfileValidator {
  private final Set<String> allowedSystemPolicies;

  public SelinuxProfileValidator() {
    this(SelinuxPolicyRules.DEFAULT_SYSTEM_INHERITS);
  }

  public SelinuxProfileValidator(Set<String> allowedSystemPolicies) {
    this.allowedSystemPolicies = allowedSystemPolicies;
  }

  public List<Problem> validate(String name, SelinuxProfileSpec spec, LocatedDocument doc, String file) {
    List<Problem> problems = new ArrayList<>();
    nameProblem(name, doc, file, problems);
    List<PolicyRef> inherit = spec.getInherit() == null ? List.of() : spec.getInherit();
    for (int i = 0; i < inherit.size(); i++) {
      PolicyRef ref = inherit.get(i);
      String at = "/spec/inherit/" + i;
      if (ref == null) {
        continue;
      }
      if ("System".equals(ref.getKind())) {
        if (!allowedSystemPolicies.contains(ref.getName())) {
          add(problems, file, doc, at + "/name", "System policy \"" + ref.getName() + "\" is not in the allow-list ("
              + String.join(", ", new TreeSet<>(allowedSystemPolicies)) + ")");
        }
      } else if (SelinuxProfile.KIND.equals(ref.getKind())) {
        if (ref.getName() == null || SelinuxPolicyRules.nameProblem(ref.getName()).isPresent()) {
          add(problems, file, doc, at + "/name", "not a SelinuxProfile name: " + ref.getName());
        } else if (ref.getName().equals(name)) {
          add(problems, file, doc, at + "/name", "a profile cannot inherit itself");
        }
      } else {
        add(problems, file, doc, at + "/kind", "kind must be System or SelinuxProfile, found " + ref.getKind());
      }
    }
    Map<String, Map<String, List<String>>> allow = spec.getAllow() == null ? Map.of() : spec.getAllow();
    for (var byType : allow.entrySet()) {
      String typeAt = "/spec/allow/" + byType.getKey();
      SelinuxPolicyRules.typeProblem(byType.getKey()).ifPresent(p -> add(problems, file, doc, typeAt, p));
      if (byType.getValue() == null) {
        add(problems, file, doc, typeAt, "object classes are required");
        continue;
      }
      for (var byClass : byType.getValue().entrySet()) {
        String classAt = typeAt + "/" + byClass.getKey();
        SelinuxPolicyRules.classProblem(byClass.getKey()).ifPresent(p -> add(problems, file, doc, classAt, p));
        List<String> permissions = byClass.getValue() == null ? List.of() : byClass.getValue();
        if (permissions.isEmpty()) {
          add(problems, file, doc, classAt, "at least one permission is required");
        }
        for (int i = 0; i < permissions.size(); i++) {
          String permissionAt = classAt + "/" + i;
          SelinuxPolicyRules.permissionProblem(permissions.get(i)).ifPresent(p -> add(problems, file, doc, permissionAt, p));
        }
      }
    }
    return problems;
  }

  public List<Problem> validateRaw(String name, RawSelinuxProfileSpec spec, LocatedDocument doc, String file) {
    List<Problem> problems = new ArrayList<>();
    nameProblem(name, doc, file, problems);
    String policy = spec.getPolicy();
    int policyLine = doc.lineOf("/spec/policy");
    // A block scalar (policy: |) starts on the line after its key.
    boolean block = policy != null && policy.contains("\n");
    for (RawCilCheck.Finding finding : RawCilCheck.check(policy)) {
      int line = block ? policyLine + finding.line() : policyLine;
      problems.add(Problem.error(file, line, "spec.policy", finding.message()));
    }
    return problems;
  }

  private static void nameProblem(String name, LocatedDocument doc, String file, List<Problem> problems) {
    SelinuxPolicyRules.nameProblem(name).ifPresent(p -> add(problems, file, doc, "/metadata/name", p));
  }

  private static void add(List<Problem> problems, String file, LocatedDocument doc, String pointer, String message) {
    problems.add(Problem.error(file, doc.lineOf(pointer), LocatedDocument.fieldOf(pointer), message));
  }
}
