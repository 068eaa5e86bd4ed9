package dev.profileops.host.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.profileops.host.seccomp.FakeSyscallTable;
import dev.profileops.host.seccomp.UnsupportedSyscallTable;
import dev.profileops.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reasons the factory gives, against a made-up /sys. */
class SyscallRecordersTest {
  @TempDir
  Path sys;

  @BeforeEach
  void asRoot() throws IOException {
    // Past the root check only as root; the later checks read the made-up /sys.
    Prerequisites.require(Files.readString(Path.of("/proc/self/status")).matches("(?s).*\\nUid:\\s+\\d+\\s+0\\s.*")
        ? Optional.empty() : Optional.of("these checks come after the root check: run as root"));
    Files.createDirectories(sys.resolve("kernel/btf"));
    Files.writeString(sys.resolve("kernel/btf/vmlinux"), "btf");
  }

  @Test
  void noBtfIsNamed() throws IOException {
    Files.delete(sys.resolve("kernel/btf/vmlinux"));

    assertThat(recorders().unsupportedReason(FakeSyscallTable.common()))
        .hasValueSatisfying(reason -> assertThat(reason).contains("no BTF").contains("CONFIG_DEBUG_INFO_BTF"));
  }

  @Test
  void confidentialityLockdownIsNamed() throws IOException {
    Files.createDirectories(sys.resolve("kernel/security"));
    Files.writeString(sys.resolve("kernel/security/lockdown"), "none integrity [confidentiality]\n");

    assertThat(recorders().unsupportedReason(FakeSyscallTable.common()))
        .hasValueSatisfying(reason -> assertThat(reason).contains("locked down").contains("[confidentiality]"));
  }

  @Test
  void integrityLockdownLetsBpfRun() throws IOException {
    Files.createDirectories(sys.resolve("kernel/security"));
    Files.writeString(sys.resolve("kernel/security/lockdown"), "none [integrity] confidentiality\n");

    assertThat(recorders().unsupportedReason(FakeSyscallTable.common())).isEmpty();
  }

  @Test
  void missingLibseccompIsNamed() {
    assertThat(recorders().unsupportedReason(new UnsupportedSyscallTable("no libseccomp.so.2")))
        .hasValueSatisfying(reason -> assertThat(reason).contains("no libseccomp.so.2"));
  }

  @Test
  void unsupportedRecorderSaysWhyOnEveryCall() {
    UnsupportedSyscallRecorder recorder = new UnsupportedSyscallRecorder("the kernel has no BTF");

    assertThat(recorder.available()).isFalse();
    assertThat(recorder.version()).contains("the kernel has no BTF");
    assertThatThrownBy(() -> recorder.start(false)).hasMessageContaining("the kernel has no BTF");
  }

  @Test
  void kernelReleasesCompareByMajorAndMinor() {
    assertThat(SyscallRecorders.atLeast("6.1.0-18-amd64", SyscallRecorders.MINIMUM_KERNEL)).isTrue();
    assertThat(SyscallRecorders.atLeast("5.12.0", SyscallRecorders.MINIMUM_KERNEL)).isTrue();
    assertThat(SyscallRecorders.atLeast("5.10.209", SyscallRecorders.MINIMUM_KERNEL)).isFalse();
    assertThat(SyscallRecorders.atLeast("4.19.0", SyscallRecorders.MINIMUM_KERNEL)).isFalse();
  }

  private SyscallRecorders recorders() {
    return new SyscallRecorders(sys, ProcNamespaces.system());
  }
}
