package dev.profileops.nodedaemon.enricher.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceDetectorTest {
  @TempDir Path dir;

  @Test
  void auditdsFileWhileAuditdRunsElseTheKernelLogElseSyslog() throws IOException {
    Path proc = Files.createDirectories(dir.resolve("proc"));
    Files.writeString(Files.createDirectories(proc.resolve("1")).resolve("comm"), "systemd\n");
    Path auditLog = Files.writeString(dir.resolve("audit.log"), "");
    Path syslog = Files.writeString(dir.resolve("syslog"), "");
    Path kmsg = Files.writeString(dir.resolve("kmsg"), "");

    assertThat(new SourceDetector(proc, auditLog, List.of(syslog), kmsg).detect()).as("no auditd").isEqualTo(SourceKind.KMSG);
    assertThat(new SourceDetector(proc, auditLog, List.of(syslog), dir.resolve("no-kmsg")).detect()).isEqualTo(SourceKind.SYSLOG);

    Files.writeString(Files.createDirectories(proc.resolve("812")).resolve("comm"), "auditd\n");
    assertThat(new SourceDetector(proc, auditLog, List.of(syslog), kmsg).detect()).isEqualTo(SourceKind.AUDITD);
  }

  @Test
  void namesTheSyslogFilesItLookedForAndRefusesUnknownSources() {
    SourceDetector detector = new SourceDetector(dir, dir.resolve("audit.log"), List.of(dir.resolve("syslog"), dir.resolve("messages")), dir.resolve("kmsg"));

    assertThatThrownBy(() -> detector.open(SourceKind.SYSLOG, true)).hasMessageContaining("no syslog file: none of")
        .hasMessageContaining("messages");
    assertThatThrownBy(() -> SourceKind.parse("journald")).hasMessage("unknown log source 'journald' (auto, auditd, kmsg or syslog)");
    assertThat(SourceKind.parse("KMSG")).isEqualTo(SourceKind.KMSG);
  }
}
