package dev.profileops.cli.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the last local sync installed, and from which file: when that file is broken later, its
 * profiles are kept as they were instead of being removed.
 */
public final class LocalSyncState {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** Installed profile name -> repository file it came from. */
  private final Map<String, String> sourceFileByProfile;
  private String lastAppliedRevision;

  private LocalSyncState(Map<String, String> sourceFileByProfile, String lastAppliedRevision) {
    this.sourceFileByProfile = new TreeMap<>(sourceFileByProfile);
    this.lastAppliedRevision = lastAppliedRevision;
  }

  public static LocalSyncState read(Path file) {
    if (!Files.exists(file)) {
      return new LocalSyncState(Map.of(), null);
    }
    try {
      Stored stored = JSON.readValue(file.toFile(), Stored.class);
      return new LocalSyncState(stored.profiles() == null ? Map.of() : stored.profiles(), stored.lastAppliedRevision());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read local sync state " + file, e);
    }
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), new Stored(lastAppliedRevision, sourceFileByProfile));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write local sync state " + file, e);
    }
  }

  public String sourceFileOf(String profile) {
    return sourceFileByProfile.get(profile);
  }

  public void installed(String profile, String file) {
    sourceFileByProfile.put(profile, file);
  }

  public void removed(String profile) {
    sourceFileByProfile.remove(profile);
  }

  public String lastAppliedRevision() {
    return lastAppliedRevision;
  }

  public void applied(String revision) {
    this.lastAppliedRevision = revision;
  }

  private record Stored(String lastAppliedRevision, Map<String, String> profiles) {}
}
