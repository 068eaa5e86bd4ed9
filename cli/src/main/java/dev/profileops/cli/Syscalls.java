package dev.profileops.cli;

import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.host.seccomp.UnsupportedSyscallTable;
import java.io.PrintStream;

/** Loads libseccomp once per run, and says so when it cannot. */
final class Syscalls {
  private Syscalls() {}

  static SyscallTable load(PrintStream warnings) {
    SyscallTable table = SyscallTables.system();
    if (table instanceof UnsupportedSyscallTable unsupported) {
      warnings.println("warning: syscall names are not checked: " + unsupported.reason());
    }
    return table;
  }
}
