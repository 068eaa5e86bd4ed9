package dev.profileops.nodedaemon.enricher.parse;

/** The {@code code=} of a seccomp record as libseccomp's action name (SECCOMP_RET_ACTION_FULL). */
final class SeccompActions {
  private SeccompActions() {}

  static String name(long code) {
    long action = code & 0xffff0000L;
    if (action == 0x80000000L) {
      return "SCMP_ACT_KILL_PROCESS";
    } else if (action == 0) {
      return "SCMP_ACT_KILL_THREAD";
    } else if (action == 0x00030000L) {
      return "SCMP_ACT_TRAP";
    } else if (action == 0x00050000L) {
      return "SCMP_ACT_ERRNO";
    } else if (action == 0x7fc00000L) {
      return "SCMP_ACT_NOTIFY";
    } else if (action == 0x7ff00000L) {
      return "SCMP_ACT_TRACE";
    } else if (action == 0x7ffc0000L) {
      return "SCMP_ACT_LOG";
    } else if (action == 0x7fff0000L) {
      return "SCMP_ACT_ALLOW";
    }
    return "unknown";
  }
}
