package dev.profileops.host.apparmor;

import dev.profileops.host.process.ToolRun;
import java.nio.file.Path;

/** Picks the real apparmor_parser, or the unsupported one with the reason. */
public final class AppArmorParsers {
  private AppArmorParsers() {}

  /** @param includeDir where {@code #include <...>} resolves, usually {@code /etc/apparmor.d} */
  public static AppArmorParser system(Path includeDir) {
    return ToolRun.find("apparmor_parser")
        .<AppArmorParser>map(p -> new ApparmorParserCommand(p, includeDir, ApparmorParserCommand.SECURITYFS))
        .orElseGet(() -> new UnsupportedAppArmorParser("apparmor_parser is not installed (Debian: apt-get install apparmor)"));
  }
}
