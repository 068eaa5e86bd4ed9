package dev.profileops.nodedaemon.enricher.parse;

/**
 * The record types the enricher reads; the kernel log names them by number
 * ({@code audit: type=1326}), auditd by name ({@code type=SECCOMP}).
 */
public enum RecordType {
  /** 1326: a seccomp filter returned an action that logs. */
  SECCOMP,
  /** 1400: an SELinux access decision ({@code avc:}) or an AppArmor one ({@code apparmor=}). */
  AVC,
  /** 1500-1599 as auditd names them: AppArmor decisions. */
  APPARMOR,
  /** 1300: the syscall record that completes a multi-record event. */
  SYSCALL,
  /** 1320: the end of a multi-record event. */
  EOE;

  /** The type for a {@code type=} value, or null for the many types the enricher does not read. */
  static RecordType of(String value) {
    switch (value) {
      case "SECCOMP", "1326":
        return SECCOMP;
      case "AVC", "1400":
        return AVC;
      case "SYSCALL", "1300":
        return SYSCALL;
      case "EOE", "1320":
        return EOE;
      default:
        if (value.startsWith("APPARMOR") || isAppArmorNumber(value)) {
          return APPARMOR;
        }
        return null;
    }
  }

  private static boolean isAppArmorNumber(String value) {
    return value.length() == 4 && value.startsWith("15") && Character.isDigit(value.charAt(2)) && Character.isDigit(value.charAt(3));
  }
}
