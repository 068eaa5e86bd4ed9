package dev.profileops.api.apparmor;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an AppArmorProfile may name, shared by validation (syncer) and rendering (node daemon), so a
 * hostile path is refused before any file is written: paths, capabilities, profile names.
 */
public final class AppArmorRules {
  /** Absolute path of plain segments; {@code *} and {@code **} are the only globs. */
  private static final Pattern PATH = Pattern.compile("^(/[A-Za-z0-9._+@~*-]+)+/?$");
  public static final Pattern PROFILE_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$");
  public static final int MAX_PATH = 4096;

  /** Capabilities a profile may grant: every Linux capability but those that administer the host's security. */
  public static final Set<String> ALLOWED_CAPABILITIES = Set.of(
      "audit_control", "audit_read", "audit_write", "block_suspend", "bpf", "checkpoint_restore", "chown",
      "dac_override", "dac_read_search", "fowner", "fsetid", "ipc_lock", "ipc_owner", "kill", "lease",
      "linux_immutable", "net_admin", "net_bind_service", "net_broadcast", "net_raw", "perfmon", "setfcap",
      "setgid", "setpcap", "setuid", "sys_admin", "sys_boot", "sys_chroot", "sys_nice", "sys_pacct",
      "sys_ptrace", "sys_resource", "sys_time", "sys_tty_config", "syslog", "wake_alarm", "mknod");
  /** Known, but never granted through a profile: loading modules or rewriting the LSM policy itself. */
  public static final Set<String> DENIED_CAPABILITIES = Set.of("mac_admin", "mac_override", "sys_module", "sys_rawio");

  private AppArmorRules() {}

  /** Why the path cannot go into a profile, if it cannot. */
  public static Optional<String> pathProblem(String path) {
    if (path == null || path.isEmpty()) {
      return Optional.of("a path is required");
    }
    if (path.length() > MAX_PATH) {
      return Optional.of("path is longer than " + MAX_PATH + " characters");
    }
    if (path.chars().anyMatch(c -> c == '\n' || c == '\r' || c == '\0')) {
      return Optional.of("path contains a line break or NUL (it would inject rules): " + escaped(path));
    }
    if (!path.startsWith("/")) {
      return Optional.of("path must be absolute: " + escaped(path));
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        return Optional.of("path must not contain '.' or '..' segments: " + path);
      }
    }
    if (path.contains("//")) {
      return Optional.of("path must not contain empty segments ('//'): " + path);
    }
    if (!PATH.matcher(path).matches()) {
      return Optional.of("path may only use letters, digits, '.', '_', '+', '@', '~', '-', '/' and the globs '*' and '**': "
          + escaped(path));
    }
    if (path.contains("***")) {
      return Optional.of("'***' is not a glob; use '*' or '**': " + path);
    }
    String first = path.substring(1).split("/", -1)[0];
    if (first.contains("*") || first.isEmpty()) {
      return Optional.of("the first directory of a path must be named, not globbed (it would cover the whole file system): "
          + path);
    }
    return Optional.empty();
  }

  /** Why the capability cannot be granted, if it cannot; accepts {@code net_bind_service} and {@code CAP_NET_BIND_SERVICE}. */
  public static Optional<String> capabilityProblem(String capability) {
    String name = capabilityName(capability);
    if (DENIED_CAPABILITIES.contains(name)) {
      return Optional.of("capability " + name + " is not allowed in a profile");
    }
    if (!ALLOWED_CAPABILITIES.contains(name)) {
      return Optional.of("unknown capability \"" + capability + "\" (expected a Linux capability such as net_bind_service)");
    }
    return Optional.empty();
  }

  /** AppArmor's spelling: lower case, without {@code CAP_}. */
  public static String capabilityName(String capability) {
    String name = capability == null ? "" : capability.trim().toLowerCase(java.util.Locale.ROOT);
    return name.startsWith("cap_") ? name.substring(4) : name;
  }

  public static Optional<String> nameProblem(String name) {
    if (name == null || PROFILE_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.of("an AppArmor profile name becomes a file name and the profile's name: lower-case letters, digits, "
        + "'-', '_' and '.'; found \"" + name + "\"");
  }

  private static String escaped(String text) {
    return "\"" + text.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0") + "\"";
  }
}
