package dev.profileops.cli.local;

import dev.profileops.api.SpoApi;
import dev.profileops.api.apparmor.AppArmorProfile;
import dev.profileops.api.apparmor.AppArmorRules;
import dev.profileops.nodedaemon.apparmor.AppArmorProfileInstaller;
import dev.profileops.nodedaemon.apparmor.AppArmorProfileText;
import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.LoadedObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The local mode's AppArmor half: renders each valid AppArmorProfile and installs it with
 * {@link AppArmorProfileInstaller} into the node root's AppArmor directory (compiled by
 * apparmor_parser first; loaded only where the installer's parser sees a kernel with AppArmor),
 * removes the profiles gone from the repository and keeps the last good file of a broken one.
 */
public final class LocalAppArmorSync {
  private final AppArmorProfileInstaller installer;

  public LocalAppArmorSync(AppArmorProfileInstaller installer) {
    this.installer = installer;
  }

  public KindSyncResult apply(LoadResult loaded) throws IOException {
    List<LocalNodeSync.Action> actions = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Map<String, LoadedObject> byName = new TreeMap<>();
    for (LoadedObject o : loaded.objects()) {
      if (o.resource() instanceof AppArmorProfile) {
        byName.putIfAbsent(o.name(), o);
      }
    }
    Set<String> wanted = new HashSet<>();
    Set<String> keep = new HashSet<>();
    for (LoadedObject o : byName.values()) {
      AppArmorProfile profile = (AppArmorProfile) o.resource();
      if (!o.valid()) {
        keep.add(o.name());
        continue;
      }
      if (profile.getSpec() == null || !profile.getSpec().enabled() || SpoApi.isPartial(profile)) {
        continue;
      }
      wanted.add(o.name());
      try {
        String text = AppArmorProfileText.render(o.name(), profile.getSpec());
        AppArmorProfileInstaller.Result result = installer.install(o.name(), text);
        switch (result.state()) {
          case Loaded -> actions.add(new LocalNodeSync.Action("loaded", o.name(), installer.pathFor(o.name())));
          case CompiledNotLoaded -> {
            actions.add(new LocalNodeSync.Action("compiled", o.name(), installer.pathFor(o.name())));
            // Said once per profile: a pod asking for it on this machine would not be confined.
            errors.add("warning: AppArmorProfile " + o.name() + ": " + result.message());
          }
          case Failed -> {
            actions.add(new LocalNodeSync.Action("error", o.name(), installer.pathFor(o.name())));
            errors.add(o.file() + ": AppArmorProfile " + o.name() + ": " + result.message());
          }
        }
      } catch (IllegalArgumentException e) {
        errors.add(o.file() + ": AppArmorProfile " + o.name() + ": " + e.getMessage());
      }
    }
    if (Files.isDirectory(installer.directory())) {
      try (Stream<Path> files = Files.list(installer.directory())) {
        for (Path file : files.filter(f -> AppArmorRules.nameProblem(f.getFileName().toString()).isEmpty()).sorted().toList()) {
          String name = file.getFileName().toString();
          if (wanted.contains(name)) {
            continue;
          }
          if (keep.contains(name)) {
            actions.add(new LocalNodeSync.Action("kept", name, file));
          } else if (installer.remove(name)) {
            actions.add(new LocalNodeSync.Action("removed", name, file));
          }
        }
      }
    }
    return new KindSyncResult(actions, errors);
  }
}
