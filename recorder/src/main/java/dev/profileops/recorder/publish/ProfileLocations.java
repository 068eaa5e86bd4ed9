package dev.profileops.recorder.publish;

import dev.profileops.syncer.source.LoadedObject;
import java.util.Map;
import java.util.Optional;

/**
 * Where a profile repository keeps its profiles of one kind: the file and document of each by name,
 * and the directory a new one goes to.
 *
 * @param newProfileDirectory relative to the repository root, no trailing slash; empty for the root
 */
public record ProfileLocations(Map<String, LoadedObject> profiles, String newProfileDirectory) {
  public ProfileLocations {
    profiles = Map.copyOf(profiles);
  }

  public Optional<LoadedObject> find(String name) {
    return Optional.ofNullable(profiles.get(name));
  }

  /** The file a profile the repository does not have yet is written to. */
  public String newProfilePath(String name) {
    return (newProfileDirectory.isEmpty() ? "" : newProfileDirectory + "/") + name + ".yaml";
  }
}
