package dev.profileops.nodedaemon.enricher.parse;

import java.util.List;

/**
 * One security decision the kernel logged, with the process that caused it. {@code arch} is the
 * audit architecture code ({@code 0xc000003e} for x86_64), -1 where the line had none.
 */
public sealed interface AuditEvent {
  long epochMillis();

  long serial();

  long pid();

  /** The executable's path where the line names it, else the command name ({@code comm}). */
  String executable();

  /** A seccomp filter's logged decision (type 1326). {@code action} is libseccomp's name for it. */
  record Seccomp(long epochMillis, long serial, long pid, String executable, long arch, int syscall, String action)
      implements AuditEvent {}

  /**
   * An SELinux access decision; {@code syscall} and {@code arch} come from the event's SYSCALL record
   * (-1 when it had none).
   */
  record Selinux(long epochMillis, long serial, long pid, String executable, String verdict, List<String> permissions,
      String scontext, String tcontext, String tclass, String name, boolean permissive, long arch, int syscall)
      implements AuditEvent {}

  /** An AppArmor decision ({@code apparmor="DENIED|ALLOWED|AUDIT"}). */
  record AppArmor(long epochMillis, long serial, long pid, String executable, String verdict, String operation,
      String profile, String name, String requestedMask, String deniedMask) implements AuditEvent {}
}
