package dev.profileops.host.seccomp;

/** Picks the real libseccomp table, or the unsupported one with the reason it could not load. */
public final class SyscallTables {
  private SyscallTables() {}

  public static SyscallTable system() {
    try {
      return LibseccompSyscallTable.load();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return new UnsupportedSyscallTable(
          "libseccomp.so.2 could not be loaded (install the libseccomp2 package): " + e.getMessage());
    }
  }
}
