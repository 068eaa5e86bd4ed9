package dev.profileops.nodedaemon.selinux;

import dev.profileops.api.selinux.PolicyRef;
import dev.profileops.api.selinux.SelinuxMode;
import dev.profileops.api.selinux.SelinuxPolicyRules;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfileSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Translates a SelinuxProfile into its CIL module: one block named after the profile, the inherited
 * blocks, {@code typepermissive} when Permissive, then the allow rules sorted by type and class with
 * sorted, unique permissions. Equal specs give equal text, so the installer can skip unchanged ones.
 *
 * <pre>{@code
 * (block nginx
 *     (blockinherit container)
 *     (allow process http_port_t (tcp_socket (name_bind)))
 * )
 * }</pre>
 */
public final class SelinuxCil {
  /** At most this many SelinuxProfile parents deep, as for seccomp base profiles. */
  public static final int MAX_INHERIT_DEPTH = 15;

  private final Function<String, SelinuxProfileSpec> profiles;
  private final Set<String> allowedSystemPolicies;

  /**
   * @param profiles the other SelinuxProfiles by name (null when there is none of that name)
   * @param allowedSystemPolicies System policies that may be inherited
   */
  public SelinuxCil(Function<String, SelinuxProfileSpec> profiles, Set<String> allowedSystemPolicies) {
    this.profiles = profiles;
    this.allowedSystemPolicies = allowedSystemPolicies;
  }

  public SelinuxCil(Function<String, SelinuxProfileSpec> profiles) {
    this(profiles, SelinuxPolicyRules.DEFAULT_SYSTEM_INHERITS);
  }

  /** @throws IllegalArgumentException for what the validator refuses too (deny-list, unknown parents, cycles) */
  public String translate(String name, SelinuxProfileSpec spec) {
    SelinuxPolicyRules.nameProblem(name).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    List<PolicyRef> inherit = effectiveInherit(spec);
    boolean parentBringsContainer = false;
    Set<String> blocks = new LinkedHashSet<>();
    for (PolicyRef ref : inherit) {
      if (SelinuxProfile.KIND.equals(ref.getKind())) {
        parentBringsContainer |= bringsContainer(ref.getName(), new ArrayList<>(List.of(name)));
      }
    }
    for (PolicyRef ref : inherit) {
      String kind = ref.getKind();
      if ("System".equals(kind)) {
        if (!allowedSystemPolicies.contains(ref.getName())) {
          throw new IllegalArgumentException("inherit: System policy " + ref.getName() + " is not allowed (allowed: "
              + String.join(", ", new TreeSet<>(allowedSystemPolicies)) + ")");
        }
        if (!(SelinuxPolicyRules.CONTAINER.equals(ref.getName()) && parentBringsContainer)) {
          blocks.add(ref.getName());
        }
      } else if (SelinuxProfile.KIND.equals(kind)) {
        blocks.add(ref.getName());
      } else {
        throw new IllegalArgumentException("inherit: kind must be System or SelinuxProfile, found " + kind);
      }
    }
    StringBuilder cil = new StringBuilder("(block ").append(name).append('\n');
    for (String block : blocks) {
      cil.append("    (blockinherit ").append(block).append(")\n");
    }
    if (spec.getMode() == SelinuxMode.Permissive) {
      cil.append("    (typepermissive process)\n");
    }
    for (String rule : allowRules(name, spec.getAllow())) {
      cil.append("    ").append(rule).append('\n');
    }
    return cil.append(")\n").toString();
  }

  /** The SelinuxProfiles this one inherits, directly; they must be installed first (or with it). */
  public static List<String> parentProfiles(SelinuxProfileSpec spec) {
    return effectiveInherit(spec).stream()
        .filter(r -> SelinuxProfile.KIND.equals(r.getKind()))
        .map(PolicyRef::getName)
        .toList();
  }

  private static List<PolicyRef> effectiveInherit(SelinuxProfileSpec spec) {
    List<PolicyRef> inherit = spec.getInherit() == null ? List.of() : spec.getInherit();
    return inherit.isEmpty() ? List.of(new PolicyRef("System", SelinuxPolicyRules.CONTAINER)) : inherit;
  }

  /** Whether the parent profile's block already holds container (so inheriting container again would redeclare it). */
  private boolean bringsContainer(String parent, List<String> chain) {
    if (chain.contains(parent)) {
      chain.add(parent);
      throw new IllegalArgumentException("inherit cycle: " + String.join(" -> ", chain));
    }
    if (chain.size() > MAX_INHERIT_DEPTH) {
      throw new IllegalArgumentException("inherit chain deeper than " + MAX_INHERIT_DEPTH + ": " + String.join(" -> ", chain));
    }
    SelinuxProfileSpec spec = profiles.apply(parent);
    if (spec == null) {
      throw new IllegalArgumentException("inherit: SelinuxProfile " + parent + " does not exist");
    }
    chain.add(parent);
    boolean brings = false;
    for (PolicyRef ref : effectiveInherit(spec)) {
      if ("System".equals(ref.getKind()) && SelinuxPolicyRules.CONTAINER.equals(ref.getName())) {
        brings = true;
      } else if (SelinuxProfile.KIND.equals(ref.getKind())) {
        brings |= bringsContainer(ref.getName(), new ArrayList<>(chain));
      }
    }
    return brings;
  }

  private static List<String> allowRules(String name, Map<String, Map<String, List<String>>> allow) {
    // type -> class -> permissions, all sorted; the same type written twice (say @self and <name>.process) merges.
    Map<String, Map<String, Set<String>>> merged = new TreeMap<>();
    if (allow != null) {
      for (var byType : allow.entrySet()) {
        String type = SelinuxPolicyRules.SELF.equals(byType.getKey()) ? SelinuxPolicyRules.usage(name) : byType.getKey();
        check(SelinuxPolicyRules.typeProblem(byType.getKey()).orElse(null));
        for (var byClass : byType.getValue().entrySet()) {
          check(SelinuxPolicyRules.classProblem(byClass.getKey()).orElse(null));
          Set<String> permissions = merged.computeIfAbsent(type, t -> new TreeMap<>())
              .computeIfAbsent(byClass.getKey(), c -> new TreeSet<>());
          for (String permission : byClass.getValue() == null ? List.<String>of() : byClass.getValue()) {
            check(SelinuxPolicyRules.permissionProblem(permission).orElse(null));
            permissions.add(permission);
          }
        }
      }
    }
    List<String> rules = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (var byType : merged.entrySet()) {
      for (var byClass : byType.getValue().entrySet()) {
        if (byClass.getValue().isEmpty()) {
          continue;
        }
        String rule = "(allow process " + byType.getKey() + " (" + byClass.getKey() + " ("
            + String.join(" ", byClass.getValue()) + ")))";
        if (seen.add(rule)) {
          rules.add(rule);
        }
      }
    }
    return rules;
  }

  private static void check(String problem) {
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }
}
