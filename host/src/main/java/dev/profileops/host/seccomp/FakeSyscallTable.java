package dev.profileops.host.seccomp;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** A small in-memory table for unit tests: the same syscall list on every architecture it names. */
public final class FakeSyscallTable implements SyscallTable {
  private final String nativeArchitecture;
  private final List<String> architectures;
  private final List<String> syscalls;
  private final Map<String, Integer> numbers;

  public FakeSyscallTable(String nativeArchitecture, List<String> architectures, List<String> syscalls) {
    this.nativeArchitecture = nativeArchitecture;
    this.architectures = List.copyOf(architectures);
    this.syscalls = List.copyOf(syscalls);
    this.numbers = IntStream.range(0, syscalls.size()).boxed()
        .collect(Collectors.toMap(syscalls::get, Function.identity()));
  }

  /** x86_64 and aarch64 with a handful of common syscalls. */
  public static FakeSyscallTable common() {
    return new FakeSyscallTable("x86_64", List.of("x86_64", "aarch64", "x86", "native"),
        List.of("read", "write", "openat", "close", "exit", "exit_group", "mkdir", "mkdirat", "execve",
            "brk", "mmap", "munmap", "futex", "getpid", "clone", "chmod", "fchmod", "uname", "ptrace"));
  }

  @Override
  public String version() {
    return "fake";
  }

  @Override
  public String nativeArchitecture() {
    return nativeArchitecture;
  }

  @Override
  public OptionalInt number(String architecture, String syscall) {
    Integer n = knowsArchitecture(architecture) ? numbers.get(syscall) : null;
    return n == null ? OptionalInt.empty() : OptionalInt.of(n);
  }

  @Override
  public Optional<String> name(String architecture, int number) {
    return knowsArchitecture(architecture) && number >= 0 && number < syscalls.size()
        ? Optional.of(syscalls.get(number)) : Optional.empty();
  }

  @Override
  public boolean knowsArchitecture(String architecture) {
    return architectures.contains(architecture);
  }
}
