package dev.profileops.host.apparmor;

import dev.profileops.host.process.ToolRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real {@code apparmor_parser}. Includes ({@code <tunables/global>}, {@code <abstractions/base>})
 * resolve against {@code includeDir}, usually {@code /etc/apparmor.d}. The kernel side is read from
 * securityfs ({@code <securityfs>/apparmor/profiles}).
 */
public final class ApparmorParserCommand implements AppArmorParser {
  public static final Path SECURITYFS = Path.of("/sys/kernel/security");
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final Path parser;
  private final Path includeDir;
  private final Path securityfs;

  public ApparmorParserCommand(Path parser, Path includeDir, Path securityfs) {
    this.parser = parser;
    this.includeDir = includeDir;
    this.securityfs = securityfs;
  }

  @Override
  public Outcome compile(Path profile) throws IOException {
    return run("-Q", "-K", profile.toString());
  }

  @Override
  public Optional<String> kernelUnavailableReason() {
    Path lsm = securityfs.resolve("lsm");
    try {
      if (Files.isReadable(lsm) && !List.of(Files.readString(lsm).trim().split(",")).contains("apparmor")) {
        return Optional.of("the kernel has no AppArmor (active security modules: " + Files.readString(lsm).trim() + ")");
      }
    } catch (IOException e) {
      // Fall through to the profiles file check.
    }
    if (!Files.isReadable(securityfs.resolve("apparmor/profiles"))) {
      return Optional.of("the kernel has no AppArmor interface at " + securityfs.resolve("apparmor")
          + " (AppArmor not enabled, or securityfs not mounted)");
    }
    return Optional.empty();
  }

  @Override
  public Outcome load(Path profile) throws IOException {
    return run("-r", "-K", profile.toString());
  }

  @Override
  public Outcome unload(Path profile) throws IOException {
    return run("-R", "-K", profile.toString());
  }

  @Override
  public Map<String, String> loadedProfiles() throws IOException {
    Map<String, String> loaded = new LinkedHashMap<>();
    Path profiles = securityfs.resolve("apparmor/profiles");
    if (!Files.isReadable(profiles)) {
      return loaded;
    }
    // One "<name> (<mode>)" per line.
    for (String line : Files.readAllLines(profiles)) {
      int open = line.lastIndexOf(" (");
      if (open > 0 && line.endsWith(")")) {
        loaded.put(line.substring(0, open), line.substring(open + 2, line.length() - 1));
      }
    }
    return loaded;
  }

  private Outcome run(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(parser.toString(), "-I", includeDir.toString()));
    command.addAll(List.of(args));
    ToolRun run = ToolRun.run(command, TIMEOUT);
    if (run.ok()) {
      return Outcome.success();
    }
    // The parser says this on every run where the kernel lacks AppArmor; it is not the error.
    String message = run.output().lines()
        .filter(l -> !l.startsWith("Cache read/write disabled"))
        .reduce((a, b) -> a + "\n" + b).orElse("").strip();
    return Outcome.failure(message.isEmpty() ? "apparmor_parser exited " + run.exitCode() : message);
  }
}
