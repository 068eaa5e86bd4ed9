package dev.profileops.host.apparmor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For unit tests: "compiles" any file that has a {@code profile <name>} line, and "loads" it into an
 * in-memory kernel when constructed with a kernel.
 */
public final class FakeAppArmorParser implements AppArmorParser {
  private static final Pattern PROFILE = Pattern.compile("(?m)^profile (\\S+) flags=\\((\\w+)");

  private final boolean kernel;
  private final Map<String, String> loaded = new TreeMap<>();

  public FakeAppArmorParser(boolean kernel) {
    this.kernel = kernel;
  }

  @Override
  public Outcome compile(Path profile) throws IOException {
    return PROFILE.matcher(Files.readString(profile)).find() ? Outcome.success() : Outcome.failure("no profile in " + profile);
  }

  @Override
  public Optional<String> kernelUnavailableReason() {
    return kernel ? Optional.empty() : Optional.of("fake kernel without AppArmor");
  }

  @Override
  public synchronized Outcome load(Path profile) throws IOException {
    if (!kernel) {
      return Outcome.failure("fake kernel without AppArmor");
    }
    Matcher m = PROFILE.matcher(Files.readString(profile));
    if (!m.find()) {
      return Outcome.failure("no profile in " + profile);
    }
    loaded.put(m.group(1), m.group(2));
    return Outcome.success();
  }

  @Override
  public synchronized Outcome unload(Path profile) throws IOException {
    Matcher m = PROFILE.matcher(Files.readString(profile));
    if (m.find()) {
      loaded.remove(m.group(1));
    }
    return Outcome.success();
  }

  @Override
  public synchronized Map<String, String> loadedProfiles() {
    return new TreeMap<>(loaded);
  }
}
