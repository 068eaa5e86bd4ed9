package dev.profileops.host.apparmor;

import dev.profileops.host.process.ToolRun;
import java.nio.file.Path;

/** Picks the real apparmor_parser, or the unsupported one with the reason. */
public final class AppArmorParsers {
  private AppArmorParsers() {}

  /** @param includeDir where {@code #include <...>} resolves, usually {@code /etc/apparmor.d} */
  public static AppArmorParser system(Path includeDir) {
    return onPath(includeDir, ApparmorParserCommand.SECURITYFS);
  }

  /**
   * For a node root that may not be this machine's {@code /} (the CLI's local mode): includes come
   * from this machine's {@code /etc/apparmor.d}, and the kernel is looked for under
   * {@code <root>/sys/kernel/security}, so profiles are only loaded when the root is the real one.
   */
  public static AppArmorParser forNodeRoot(Path nodeRoot) {
    // For "/" this is system(/etc/apparmor.d): <root>/sys/kernel/security is SECURITYFS.
    return onPath(Path.of("/etc/apparmor.d"), nodeRoot.toAbsolutePath().normalize().resolve("sys/kernel/security"));
  }

  /** The apparmor_parser found on PATH (or in /usr/sbin, /sbin), or the unsupported one when there is none. */
  private static AppArmorParser onPath(Path includeDir, Path securityfs) {
    return ToolRun.find("apparmor_parser")
        .<AppArmorParser>map(p -> new ApparmorParserCommand(p, includeDir, securityfs))
        .orElseGet(() -> new UnsupportedAppArmorParser("apparmor_parser is not installed (Debian: apt-get install apparmor)"));
  }
}
