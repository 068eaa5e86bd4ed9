package dev.profileops.nodedaemon.enricher.source;

import dev.profileops.host.kmsg.LibcKernelLog;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Picks and opens the log. While auditd runs the kernel hands audit records to it alone, so its file
 * is the one; without it the kernel prints them to its log ring, read from {@code /dev/kmsg}, and
 * syslog (which copies the ring) is the fallback where the ring cannot be read.
 */
public final class SourceDetector {
  public static final Path AUDIT_LOG = Path.of("/var/log/audit/audit.log");
  public static final List<Path> SYSLOGS = List.of(Path.of("/var/log/syslog"), Path.of("/var/log/messages"), Path.of("/var/log/kern.log"));

  private final Path proc;
  private final Path auditLog;
  private final List<Path> syslogs;
  private final Path kmsg;

  public SourceDetector(Path proc, Path auditLog, List<Path> syslogs, Path kmsg) {
    this.proc = proc;
    this.auditLog = auditLog;
    this.syslogs = syslogs;
    this.kmsg = kmsg;
  }

  public static SourceDetector system() {
    return new SourceDetector(Path.of("/proc"), AUDIT_LOG, SYSLOGS, Path.of("/dev/kmsg"));
  }

  /** The source to read for {@code auto}: auditd's when it runs, else the kernel log, else syslog. */
  public SourceKind detect() {
    if (auditdRuns() && Files.isReadable(auditLog)) {
      return SourceKind.AUDITD;
    }
    if (Files.isReadable(kmsg)) {
      return SourceKind.KMSG;
    }
    return syslog().isPresent() ? SourceKind.SYSLOG : SourceKind.KMSG;
  }

  /**
   * Opens the source; {@code fromStart} reads what the log holds already (for a one-off look),
   * otherwise only what comes after.
   */
  public LineSource open(SourceKind kind, boolean fromStart) throws IOException {
    return switch (kind) {
      case AUTO -> open(detect(), fromStart);
      case AUDITD -> new FollowedFile(auditLog, fromStart);
      case KMSG -> new KernelLogSource(LibcKernelLog.open(kmsg.toString(), !fromStart));
      case SYSLOG -> new FollowedFile(syslog().orElseThrow(() -> new IOException("no syslog file: none of " + syslogs + " exists")), fromStart);
    };
  }

  private Optional<Path> syslog() {
    return syslogs.stream().filter(Files::isReadable).findFirst();
  }

  /** Whether a process named auditd runs (its {@code /proc/<pid>/comm}). */
  boolean auditdRuns() {
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))) {
      for (Path process : processes) {
        try {
          if (Files.readString(process.resolve("comm")).strip().equals("auditd")) {
            return true;
          }
        } catch (IOException e) {
          // exited while we looked
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
