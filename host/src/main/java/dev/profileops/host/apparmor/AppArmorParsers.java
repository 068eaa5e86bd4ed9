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

  /**
   * For a node root that may not be this machine's {@code /} (the CLI's local mode): includes come
   * from this machine's {@code /etc/apparmor.d}, and the kernel is looked for under
   * {@code <root>/sys/kernel/security}, so profiles are only loaded when the root is the real one.
   */
  public static AppArmorParser forNodeRoot(Path nodeRoot) {
    Path root = nodeRoot.toAbsolutePath().normalize();
    if (root.equals(Path.of("/"))) {
      return system(Path.of("/etc/apparmor.d"));
    }
    return ToolRun.find("apparmor_parser")
        .<AppArmorParser>map(p -> new ApparmorParserCommand(p, Path.of("/etc/apparmor.d"), root.resolve("sys/kernel/security")))
        .orElseGet(() -> new UnsupportedAppArmorParser("apparmor_parser is not installed (Debian: apt-get install apparmor)"));
  }
}
