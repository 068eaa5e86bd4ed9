package dev.profileops.host.seccomp;

import java.util.Optional;
import java.util.OptionalInt;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/** {@link SyscallTable} backed by the system's libseccomp, called through jnr-ffi. */
public final class LibseccompSyscallTable implements SyscallTable {

  /** The few libseccomp calls we need; see seccomp_syscall_resolve_name(3). */
  public interface Libseccomp {
    int seccomp_syscall_resolve_name_arch(int archToken, String name);

    Pointer seccomp_syscall_resolve_num_arch(int archToken, int number);

    int seccomp_arch_resolve_name(String archName);

    int seccomp_arch_native();

    Pointer seccomp_version();
  }

  /** libc's free(3), for the strings libseccomp allocates. */
  public interface LibC {
    void free(Pointer pointer);
  }

  private static final int NR_SCMP_ERROR = -1;

  private final Libseccomp lib;
  private final LibC libc;
  private final String version;
  private final String nativeArchitecture;

  private LibseccompSyscallTable(Libseccomp lib, LibC libc) {
    this.lib = lib;
    this.libc = libc;
    Pointer v = lib.seccomp_version();
    this.version = v.getInt(0) + "." + v.getInt(4) + "." + v.getInt(8);
    this.nativeArchitecture = archName(lib.seccomp_arch_native());
  }

  /** Loads libseccomp.so.2; throws {@link UnsatisfiedLinkError} when it is not installed. */
  public static LibseccompSyscallTable load() {
    Libseccomp lib = LibraryLoader.create(Libseccomp.class).failImmediately().load("seccomp");
    LibC libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
    return new LibseccompSyscallTable(lib, libc);
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public String nativeArchitecture() {
    return nativeArchitecture;
  }

  @Override
  public OptionalInt number(String architecture, String syscall) {
    int token = token(architecture);
    if (token == 0) {
      return OptionalInt.empty();
    }
    int nr = lib.seccomp_syscall_resolve_name_arch(token, syscall);
    return nr == NR_SCMP_ERROR ? OptionalInt.empty() : OptionalInt.of(nr);
  }

  @Override
  public Optional<String> name(String architecture, int number) {
    int token = token(architecture);
    if (token == 0) {
      return Optional.empty();
    }
    Pointer p = lib.seccomp_syscall_resolve_num_arch(token, number);
    if (p == null || p.address() == 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(p.getString(0));
    } finally {
      libc.free(p);
    }
  }

  @Override
  public boolean knowsArchitecture(String architecture) {
    return token(architecture) != 0;
  }

  private int token(String architecture) {
    return lib.seccomp_arch_resolve_name(architecture);
  }

  private String archName(int token) {
    // libseccomp has no token-to-name call: ask for each name we know.
    for (String candidate : KNOWN_ARCHITECTURES) {
      if (lib.seccomp_arch_resolve_name(candidate) == token) {
        return candidate;
      }
    }
    return "unknown";
  }

  private static final String[] KNOWN_ARCHITECTURES = {
    "x86_64", "aarch64", "x86", "x32", "arm", "ppc64le", "ppc64", "ppc", "s390x", "s390",
    "riscv64", "mips", "mips64", "mips64n32", "mipsel", "mipsel64", "mipsel64n32", "parisc", "parisc64"
  };
}
