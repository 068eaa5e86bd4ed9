package dev.profileops.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The static-busybox check, on binaries every Linux machine has; runs without root or runc. */
class ElfTest {

  @Test
  void aDynamicallyLinkedProgramIsNotStatic() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    assumeTrue(Files.isRegularFile(java) && isElf(java), "no ELF java launcher at " + java);

    assertThat(RuncContainer.isStatic(java.toRealPath())).isFalse();
  }

  @Test
  void busyboxStaticIsStatic() throws IOException {
    Path busybox = Path.of("/bin/busybox");
    assumeTrue(Files.isRegularFile(busybox), "no /bin/busybox");
    assumeTrue(
        RuncContainer.unavailableReason().isEmpty(),
        "runc containers unavailable: " + RuncContainer.unavailableReason().orElse(""));

    assertThat(RuncContainer.isStatic(busybox)).isTrue();
  }

  @Test
  void notAnElfFile(@TempDir Path dir) throws IOException {
    Path script = Files.writeString(dir.resolve("script"), "#!/bin/sh\necho hi\n");

    assertThatThrownBy(() -> RuncContainer.isStatic(script)).isInstanceOf(IOException.class);
  }

  private static boolean isElf(Path file) throws IOException {
    byte[] head = Files.readAllBytes(file);
    return head.length > 4 && head[0] == 0x7f && head[1] == 'E';
  }
}
