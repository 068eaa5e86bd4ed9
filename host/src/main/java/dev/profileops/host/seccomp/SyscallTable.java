package dev.profileops.host.seccomp;

import java.util.Optional;
import java.util.OptionalInt;

/** Syscall names and numbers per architecture, as libseccomp knows them. */
public interface SyscallTable {

  /** libseccomp's version, e.g. {@code 2.5.4}, or why there is none. */
  String version();

  /** The libseccomp name of this machine's architecture, e.g. {@code x86_64}. */
  String nativeArchitecture();

  /**
   * The number of a syscall on an architecture (libseccomp name, e.g. {@code aarch64}), empty when
   * libseccomp does not know the name at all. Names of syscalls that exist only on other
   * architectures resolve to libseccomp's negative pseudo numbers: they are known, just not native.
   */
  OptionalInt number(String architecture, String syscall);

  /** The name of a syscall number on an architecture. */
  Optional<String> name(String architecture, int number);

  /** Whether the architecture name is one libseccomp supports. */
  boolean knowsArchitecture(String architecture);

  default boolean knows(String architecture, String syscall) {
    return number(architecture, syscall).isPresent();
  }

  /** False for the stand-in that exists where libseccomp could not be loaded. */
  default boolean available() {
    return true;
  }
}
