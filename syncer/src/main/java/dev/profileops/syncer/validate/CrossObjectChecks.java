package dev.profileops.syncer.validate;

import dev.profileops.api.apparmor.AppArmorProfile;
import dev.profileops.api.seccomp.BaseProfileResolver;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.api.selinux.PolicyRef;
import dev.profileops.api.selinux.RawSelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.syncer.source.LoadedObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks that need the whole repository: duplicate names, base profile chains, SELinux inherit chains. */
public final class CrossObjectChecks {

  /** Returns the objects, with those that fail a check marked invalid; adds the problems found. */
  public List<LoadedObject> check(List<LoadedObject> objects, List<Problem> problems) {
    List<LoadedObject> result = new ArrayList<>();
    Map<String, LoadedObject> firstById = new HashMap<>();
    for (LoadedObject o : objects) {
      LoadedObject first = firstById.putIfAbsent(o.id(), o);
      if (first != null) {
        problems.add(Problem.error(o.file(), o.document().lineOf("/metadata/name"), "metadata.name",
            "duplicate " + o.kind() + " \"" + o.name() + "\"; first defined at " + first.file() + ":" + first.line()));
        result.add(o.invalid());
      } else {
        result.add(o);
      }
    }
    return checkSelinuxInherits(checkProfileNamesAcrossKinds(checkBaseProfiles(result, problems), problems), problems);
  }

  /**
   * Two profiles of different kinds with one name: a SelinuxProfile and a RawSelinuxProfile would be
   * one CIL module (and block) on every node; any two would share their per-node status, which SPO
   * names {@code <profile>-<node>} whatever the kind, so each node's status of one would overwrite the
   * other's.
   */
  private static List<LoadedObject> checkProfileNamesAcrossKinds(List<LoadedObject> objects, List<Problem> problems) {
    Map<String, LoadedObject> firstProfile = new HashMap<>();
    List<LoadedObject> result = new ArrayList<>();
    for (LoadedObject o : objects) {
      LoadedObject first = isProfile(o) ? firstProfile.putIfAbsent(o.name(), o) : null;
      if (first != null && !first.kind().equals(o.kind())) {
        String clash = isSelinuxModule(o) && isSelinuxModule(first)
            ? "would install the same SELinux module as the "
            : "would share its per-node status (SecurityProfileNodeStatus <name>-<node>) with the ";
        problems.add(Problem.error(o.file(), o.document().lineOf("/metadata/name"), "metadata.name",
            o.kind() + " \"" + o.name() + "\" " + clash + first.kind() + " at " + first.file() + ":" + first.line()
                + "; give one of them another name"));
        result.add(o.invalid());
      } else {
        result.add(o);
      }
    }
    return result;
  }

  private static boolean isProfile(LoadedObject o) {
    return o.resource() instanceof SeccompProfile || o.resource() instanceof AppArmorProfile || isSelinuxModule(o);
  }

  private static boolean isSelinuxModule(LoadedObject o) {
    return o.resource() instanceof SelinuxProfile || o.resource() instanceof RawSelinuxProfile;
  }

  /**
   * A SelinuxProfile that inherits another needs it in the repository (its block must be installed
   * with it), valid, and without a cycle; like base profiles, a broken parent makes its children invalid.
   */
  private List<LoadedObject> checkSelinuxInherits(List<LoadedObject> objects, List<Problem> problems) {
    Map<String, LoadedObject> byName = new HashMap<>();
    for (LoadedObject o : objects) {
      if (o.resource() instanceof SelinuxProfile) {
        byName.putIfAbsent(o.name(), o);
      }
    }
    List<LoadedObject> result = new ArrayList<>(objects);
    Map<String, Boolean> valid = new HashMap<>();
    byName.forEach((name, o) -> valid.put(name, o.valid()));
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i < result.size(); i++) {
        LoadedObject o = result.get(i);
        if (!o.valid() || !(o.resource() instanceof SelinuxProfile p) || p.getSpec() == null || p.getSpec().getInherit() == null) {
          continue;
        }
        List<PolicyRef> inherit = p.getSpec().getInherit();
        for (int r = 0; r < inherit.size(); r++) {
          PolicyRef ref = inherit.get(r);
          if (ref == null || !SelinuxProfile.KIND.equals(ref.getKind())) {
            continue;
          }
          String error = !byName.containsKey(ref.getName())
              ? "inherits SelinuxProfile " + ref.getName() + ", which is not in the repository"
              : Boolean.FALSE.equals(valid.get(ref.getName())) ? "inherited SelinuxProfile " + ref.getName() + " has errors"
              : reachesItself(o.name(), byName) ? "inherit cycle through SelinuxProfile " + ref.getName() : null;
          if (error != null) {
            String pointer = "/spec/inherit/" + r + "/name";
            problems.add(Problem.error(o.file(), o.document().lineOf(pointer), "spec.inherit[" + r + "].name", error));
            result.set(i, o.invalid());
            valid.put(o.name(), false);
            changed = true;
            break;
          }
        }
      }
    }
    return result;
  }

  private static boolean reachesItself(String start, Map<String, LoadedObject> byName) {
    java.util.Deque<String> pending = new java.util.ArrayDeque<>(parents(byName.get(start)));
    java.util.Set<String> seen = new java.util.HashSet<>();
    while (!pending.isEmpty()) {
      String next = pending.poll();
      if (next.equals(start)) {
        return true;
      }
      if (seen.add(next) && byName.containsKey(next)) {
        pending.addAll(parents(byName.get(next)));
      }
    }
    return false;
  }

  private static List<String> parents(LoadedObject o) {
    if (!(o.resource() instanceof SelinuxProfile p) || p.getSpec() == null || p.getSpec().getInherit() == null) {
      return List.of();
    }
    return p.getSpec().getInherit().stream()
        .filter(r -> r != null && SelinuxProfile.KIND.equals(r.getKind()) && r.getName() != null)
        .map(PolicyRef::getName)
        .toList();
  }

  private List<LoadedObject> checkBaseProfiles(List<LoadedObject> objects, List<Problem> problems) {
    Map<String, SeccompProfileSpec> specs = new HashMap<>();
    Map<String, Boolean> validByName = new HashMap<>();
    for (LoadedObject o : objects) {
      if (o.resource() instanceof SeccompProfile p && p.getSpec() != null && !specs.containsKey(o.name())) {
        specs.put(o.name(), p.getSpec());
        validByName.put(o.name(), o.valid());
      }
    }
    BaseProfileResolver resolver = BaseProfileResolver.over(specs);
    List<LoadedObject> result = new ArrayList<>(objects);
    // Repeat until stable: a profile whose base (at any depth) has errors has errors too.
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i < result.size(); i++) {
        LoadedObject o = result.get(i);
        if (!o.valid() || !(o.resource() instanceof SeccompProfile p) || p.getSpec() == null
            || p.getSpec().getBaseProfileName() == null) {
          continue;
        }
        String pointer = o.file().endsWith(".json") ? "/baseProfileName" : "/spec/baseProfileName";
        BaseProfileResolver.Result resolved = resolver.resolve(o.name(), p.getSpec());
        String base = p.getSpec().getBaseProfileName();
        String error = !resolved.ok() ? resolved.error()
            : Boolean.FALSE.equals(validByName.get(base)) ? "base profile " + base + " has errors" : null;
        if (error != null) {
          problems.add(Problem.error(o.file(), o.document().lineOf(pointer), pointer.substring(1).replace('/', '.'), error));
          result.set(i, o.invalid());
          validByName.put(o.name(), false);
          changed = true;
        }
      }
    }
    return result;
  }
}
