package dev.profileops.recorder.publish;

import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.recorder.RecordedKind;
import dev.profileops.syncer.source.LoadedObject;
import dev.profileops.syncer.source.ParseCache;
import dev.profileops.syncer.source.RepositoryLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the file of each profile of one kind in a checked-out profile repository, with the syncer's
 * own reader (so the recorder and the syncer agree on what the repository holds). A new profile goes
 * to the directory that already holds the most YAML files of its kind (the first in path order on a
 * tie; the root counts too), or to the kind's default directory ({@code seccomp}, {@code selinux}) in
 * a repository that has none.
 */
public final class ProfileLocator {
  private final RepositoryLoader loader;
  /** Per work tree: a publish after a small change re-reads only the files that changed. */
  private final Map<Path, ParseCache> caches = new ConcurrentHashMap<>();

  public ProfileLocator(SyscallTable syscalls) {
    this.loader = new RepositoryLoader(syscalls);
  }

  public ProfileLocations locate(Path workTree, RecordedKind<?> kind) {
    Map<String, LoadedObject> profiles = new HashMap<>();
    TreeMap<String, Integer> perDirectory = new TreeMap<>();
    ParseCache cache = caches.computeIfAbsent(workTree.toAbsolutePath().normalize(), p -> new ParseCache());
    for (LoadedObject object : loader.load(workTree, cache).objects()) {
      if (!kind.kind().equals(object.kind())) {
        continue;
      }
      // A name twice is an error the syncer reports; the first file in path order is the one edited.
      profiles.putIfAbsent(object.name(), object);
      if (!object.file().endsWith(".json")) {
        int slash = object.file().lastIndexOf('/');
        perDirectory.merge(slash < 0 ? "" : object.file().substring(0, slash), 1, Integer::sum);
      }
    }
    String directory = kind.defaultDirectory();
    int most = 0;
    for (Map.Entry<String, Integer> e : perDirectory.entrySet()) {
      if (e.getValue() > most) {
        directory = e.getKey();
        most = e.getValue();
      }
    }
    return new ProfileLocations(profiles, directory);
  }
}
