package dev.profileops.host.seccomp;

import java.util.Optional;
import java.util.OptionalInt;

/** Stands in where libseccomp cannot be loaded; every lookup fails with the reason. */
public final class UnsupportedSyscallTable implements SyscallTable {
  private final String reason;

  public UnsupportedSyscallTable(String reason) {
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }

  @Override
  public boolean available() {
    return false;
  }

  @Override
  public String version() {
    return "unavailable (" + reason + ")";
  }

  @Override
  public String nativeArchitecture() {
    throw unsupported();
  }

  @Override
  public OptionalInt number(String architecture, String syscall) {
    throw unsupported();
  }

  @Override
  public Optional<String> name(String architecture, int number) {
    throw unsupported();
  }

  @Override
  public boolean knowsArchitecture(String architecture) {
    throw unsupported();
  }

  private UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("libseccomp is not usable: " + reason);
  }
}
