package dev.profileops.syncer.validate;

import dev.profileops.api.seccomp.BaseProfileResolver;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.syncer.source.LoadedObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks that need the whole repository: duplicate names and base profile chains. */
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
    return checkBaseProfiles(result, problems);
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
