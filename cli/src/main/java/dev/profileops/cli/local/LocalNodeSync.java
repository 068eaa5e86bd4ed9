package dev.profileops.cli.local;

import dev.profileops.api.SpoApi;
import dev.profileops.api.seccomp.BaseProfileResolver;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.nodedaemon.seccomp.InstallResult;
import dev.profileops.nodedaemon.seccomp.OciSeccompJson;
import dev.profileops.nodedaemon.seccomp.SeccompProfileFiles;
import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.LoadedObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Installs a loaded repository's seccomp profiles on this machine, as the node daemon would on a node:
 * valid enabled profiles are written, profiles gone from the repository are removed, and profiles
 * whose file or spec is broken keep their last good installed version.
 */
public final class LocalNodeSync {
  private final SeccompProfileFiles installer;

  public LocalNodeSync(SeccompProfileFiles installer) {
    this.installer = installer;
  }

  /** One line of what happened to one profile's file. */
  public record Action(String what, String profile, java.nio.file.Path file) {
    @Override
    public String toString() {
      return String.format("%-9s %-30s %s", what, profile, file);
    }
  }

  public List<Action> apply(LoadResult loaded, LocalSyncState state) throws IOException {
    List<Action> actions = new ArrayList<>();
    Map<String, SeccompProfileSpec> validSpecs = new HashMap<>();
    Map<String, LoadedObject> seccompByName = new HashMap<>();
    for (LoadedObject o : loaded.objects()) {
      if (o.resource() instanceof SeccompProfile p) {
        seccompByName.putIfAbsent(o.name(), o);
        if (o.valid()) {
          validSpecs.put(o.name(), p.getSpec());
        }
      }
    }
    BaseProfileResolver resolver = BaseProfileResolver.over(validSpecs);
    Set<String> wanted = new HashSet<>();
    Set<String> keep = new HashSet<>();
    for (LoadedObject o : seccompByName.values()) {
      SeccompProfile profile = (SeccompProfile) o.resource();
      if (!o.valid()) {
        keep.add(o.name());
        continue;
      }
      if (!profile.getSpec().enabled() || SpoApi.isPartial(profile)) {
        continue;
      }
      BaseProfileResolver.Result resolved = resolver.resolve(o.name(), profile.getSpec());
      if (!resolved.ok()) {
        keep.add(o.name());
        continue;
      }
      wanted.add(o.name());
      InstallResult result = installer.install(o.name(), OciSeccompJson.render(resolved.spec()));
      state.installed(o.name(), o.file());
      actions.add(new Action(result.toString().toLowerCase(), o.name(), installer.pathFor(o.name())));
    }
    Set<String> brokenFiles = new HashSet<>(loaded.filesWithErrors());
    brokenFiles.addAll(loaded.unreadableFiles());
    for (String installed : installer.installedNames()) {
      if (wanted.contains(installed)) {
        continue;
      }
      String from = state.sourceFileOf(installed);
      // A broken file may still hold the profile (its name or YAML broke): keep what was installed.
      boolean fromBrokenFile = from != null && brokenFiles.contains(from) && !seccompByName.containsKey(installed);
      if (keep.contains(installed) || fromBrokenFile) {
        actions.add(new Action("kept", installed, installer.pathFor(installed)));
        continue;
      }
      installer.remove(installed);
      state.removed(installed);
      actions.add(new Action("removed", installed, installer.pathFor(installed)));
    }
    return actions;
  }

  /** A partial recording (label {@code spo.x-k8s.io/partial}): never installed by the local sync. */
}
