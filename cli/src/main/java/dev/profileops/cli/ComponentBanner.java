package dev.profileops.cli;

import dev.profileops.host.bpf.SyscallRecorders;
import dev.profileops.host.seccomp.SyscallTable;

/** The line each component prints at start: its version and those of the native libraries it loads. */
final class ComponentBanner {
  static final String VERSION = "0.1.0";

  private ComponentBanner() {}

  static String of(String component, SyscallTable syscalls) {
    return "profileops " + component + " " + VERSION + ", Java " + Runtime.version() + ", libseccomp " + syscalls.version()
        + ", " + SyscallRecorders.libbpfVersion();
  }
}
