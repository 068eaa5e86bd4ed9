package dev.profileops.host.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs against the real libseccomp; the setup script installs it, so a missing library fails here. */
class LibseccompSyscallTableTest {
  private static SyscallTable table;

  @BeforeAll
  static void load() {
    table = LibseccompSyscallTable.load();
  }

  @Test
  void reportsVersionAndNativeArchitecture() {
    assertThat(table.version()).matches("2\\.\\d+\\.\\d+");
    assertThat(table.nativeArchitecture()).isEqualTo(switch (System.getProperty("os.arch")) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64" -> "aarch64";
      default -> table.nativeArchitecture();
    });
  }

  @Test
  void resolvesNamesPerArchitecture() {
    assertThat(table.number("x86_64", "read")).hasValue(0);
    assertThat(table.number("x86_64", "mkdir")).hasValue(83);
    assertThat(table.number("aarch64", "mkdirat")).hasValue(34);
    assertThat(table.name("x86_64", 59)).hasValue("execve");
    assertThat(table.name("aarch64", 221)).hasValue("execve");
  }

  @Test
  void unknownNamesAndArchitecturesAreRejected() {
    assertThat(table.knows("x86_64", "no_such_syscall")).isFalse();
    assertThat(table.knowsArchitecture("vax")).isFalse();
    assertThat(table.knows("vax", "read")).isFalse();
  }

  @Test
  void syscallsOfOtherArchitecturesAreKnownButNotNative() {
    // mkdir does not exist on aarch64; libseccomp still knows the name (a negative pseudo number).
    assertThat(table.number("aarch64", "mkdir")).isPresent();
    assertThat(table.number("aarch64", "mkdir").getAsInt()).isNegative();
  }
}
