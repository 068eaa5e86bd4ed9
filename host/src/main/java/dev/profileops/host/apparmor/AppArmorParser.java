package dev.profileops.host.apparmor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** {@code apparmor_parser} and the kernel's AppArmor: compile, load (replace), unload, list loaded. */
public interface AppArmorParser {
  /** What a compile or load did; {@code message} is the parser's output when it failed. */
  record Outcome(boolean ok, String message) {
    public static Outcome success() {
      return new Outcome(true, "");
    }

    public static Outcome failure(String message) {
      return new Outcome(false, message);
    }
  }

  /** False when profiles cannot even be compiled here; {@link #unavailableReason()} says why. */
  default boolean available() {
    return true;
  }

  /** Why the parser is not available; empty when it is. */
  default String unavailableReason() {
    return "";
  }

  /** Compiles the profile without touching the kernel or the cache ({@code -Q -K}). */
  Outcome compile(Path profile) throws IOException;

  /** Empty when the kernel can load profiles; otherwise why not (no AppArmor, securityfs not mounted). */
  Optional<String> kernelUnavailableReason();

  /** Loads or replaces the profile in the kernel ({@code -r}). */
  Outcome load(Path profile) throws IOException;

  /** Removes the profile from the kernel ({@code -R}); the file must still be there. */
  Outcome unload(Path profile) throws IOException;

  /** Profiles the kernel has loaded, name to mode ({@code enforce}, {@code complain}). */
  Map<String, String> loadedProfiles() throws IOException;
}
