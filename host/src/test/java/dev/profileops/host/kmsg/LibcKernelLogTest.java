package dev.profileops.host.kmsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Reads the real kernel log; writes a marker record into it (root may, see dev-kmsg ABI). */
class LibcKernelLogTest {
  private static final Path KMSG = Path.of("/dev/kmsg");

  @Test
  void fromTheEndSeesOnlyRecordsWrittenAfterOpeningAndNeverBlocks() throws Exception {
    assumeTrue(Files.isWritable(KMSG), "/dev/kmsg is not writable here (needs root)");
    String marker = "profileops-kmsg-test-" + UUID.randomUUID();
    Files.writeString(KMSG, marker + "-before\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
    try (LibcKernelLog log = LibcKernelLog.open(KMSG.toString(), true)) {
      Files.writeString(KMSG, marker + "-after\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
      boolean sawBefore = false;
      boolean sawAfter = false;
      Optional<String> record;
      while ((record = log.next()).isPresent()) {
        sawBefore |= record.get().contains(marker + "-before");
        sawAfter |= record.get().contains(marker + "-after");
        assertThat(record.get()).doesNotContain("\n").matches("\\d+,\\d+,\\d+,.*;.*");
      }
      assertThat(sawAfter).isTrue();
      assertThat(sawBefore).isFalse();
    }
  }
}
