package dev.profileops.host.apparmor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Stands in where apparmor_parser is missing; compiles and loads fail with the reason. */
public final class UnsupportedAppArmorParser implements AppArmorParser {
  private final String reason;

  public UnsupportedAppArmorParser(String reason) {
    this.reason = reason;
  }

  @Override
  public boolean available() {
    return false;
  }

  @Override
  public String unavailableReason() {
    return reason;
  }

  @Override
  public Outcome compile(Path profile) {
    return Outcome.failure("cannot compile AppArmor profiles: " + reason);
  }

  @Override
  public Optional<String> kernelUnavailableReason() {
    return Optional.of(reason);
  }

  @Override
  public Outcome load(Path profile) {
    return Outcome.failure("cannot load AppArmor profiles: " + reason);
  }

  @Override
  public Outcome unload(Path profile) {
    return Outcome.failure("cannot unload AppArmor profiles: " + reason);
  }

  @Override
  public Map<String, String> loadedProfiles() throws IOException {
    return Map.of();
  }
}
