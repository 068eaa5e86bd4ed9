package dev.profileops.syncer.source;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One object read from a profile repository: where it came from, and whether it is fit to apply.
 *
 * @param file path relative to the repository's source path
 * @param valid false when this object itself has errors; its last good version stays applied
 */
public record LoadedObject(String kind, String name, HasMetadata resource, String file, int line,
    LocatedDocument document, boolean valid) {

  public LoadedObject invalid() {
    return new LoadedObject(kind, name, resource, file, line, document, false);
  }

  public String id() {
    return kind + "/" + name;
  }
}
