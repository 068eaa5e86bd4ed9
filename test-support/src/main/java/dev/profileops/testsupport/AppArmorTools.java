package dev.profileops.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The host's {@code apparmor_parser}, for tests that compile rendered profiles. */
public final class AppArmorTools {
  private AppArmorTools() {}

  /** Skips the test (fails it under CI) unless apparmor_parser and its includes are installed. */
  public static void assumeParser() {
    Commands.assumeOrFailInCi(parser().isPresent() && java.nio.file.Files.isDirectory(Path.of("/etc/apparmor.d/abstractions"))
        ? Optional.empty()
        : Optional.of("apparmor_parser or /etc/apparmor.d/abstractions is missing (apt-get install apparmor)"));
  }

  public static Optional<Path> parser() {
    return Commands.find("apparmor_parser", "/usr/sbin", "/sbin");
  }

  /** Compiles the profile file without loading it ({@code -Q -K}); null when it compiled, else the parser's output. */
  public static String compileError(Path profile) throws IOException {
    var outcome = Commands.run(List.of(parser().orElseThrow().toString(), "-Q", "-K", profile.toString()),
        null, Map.of(), Duration.ofMinutes(1));
    return outcome.exitCode() == 0 ? null : outcome.describe();
  }
}
