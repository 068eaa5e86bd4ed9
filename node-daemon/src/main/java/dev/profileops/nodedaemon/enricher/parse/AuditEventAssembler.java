package dev.profileops.nodedaemon.enricher.parse;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns lines into {@link AuditEvent}s. Seccomp and AppArmor records are whole events; an SELinux
 * AVC waits for its event's SYSCALL record (same serial) for the executable and syscall, and is
 * emitted when that comes, at the event's EOE, when {@link #maxPending} other events are waiting,
 * when {@link #maxAge} records went by (records of events interleave in the log), or on
 * {@link #flush()}. Malformed lines are counted in {@link ParseStats} and skipped. Not thread-safe:
 * one reader feeds it.
 */
public final class AuditEventAssembler {
  private final AuditLineParser parser = new AuditLineParser();
  private final Consumer<AuditEvent> events;
  private final ParseStats stats;
  private final int maxPending;
  private final int maxAge;
  private final Map<Long, Pending> pending = new LinkedHashMap<>();
  private long records;

  public AuditEventAssembler(Consumer<AuditEvent> events, ParseStats stats) {
    this(events, stats, 256, 1024);
  }

  public AuditEventAssembler(Consumer<AuditEvent> events, ParseStats stats, int maxPending, int maxAge) {
    this.events = events;
    this.stats = stats;
    this.maxPending = maxPending;
    this.maxAge = maxAge;
  }

  /** One line; {@code where} (e.g. {@code file:line}) names it when it is malformed. */
  public void accept(String line, String where) {
    stats.line();
    ParseOutcome outcome = parser.parse(line);
    if (outcome instanceof ParseOutcome.Parsed parsed) {
      accept(parsed.record(), where);
    } else if (outcome instanceof ParseOutcome.Malformed malformed) {
      stats.malformed(where, malformed);
    }
  }

  public ParseStats stats() {
    return stats;
  }

  /** Emits every AVC still waiting for its SYSCALL record (the source is idle or at its end). */
  public void flush() {
    for (Pending waiting : pending.values()) {
      emitAll(waiting, null);
    }
    pending.clear();
  }

  private void accept(AuditRecord record, String where) {
    records++;
    try {
      switch (record.type()) {
        case SECCOMP -> emit(seccomp(record));
        case APPARMOR -> emit(appArmor(record));
        case AVC -> {
          requireAvcFields(record);
          pending.computeIfAbsent(record.serial(), serial -> new Pending(records)).avcs.add(record);
        }
        case SYSCALL -> {
          Pending waiting = pending.remove(record.serial());
          if (waiting != null) {
            emitAll(waiting, record);
          }
        }
        case EOE -> {
          Pending waiting = pending.remove(record.serial());
          if (waiting != null) {
            emitAll(waiting, null);
          }
        }
      }
    } catch (BadField e) {
      stats.malformed(where, new ParseOutcome.Malformed(e.field, e.getMessage()));
    }
    expire();
  }

  private void expire() {
    Iterator<Pending> oldest = pending.values().iterator();
    while (oldest.hasNext()) {
      Pending waiting = oldest.next();
      if (pending.size() <= maxPending && records - waiting.since <= maxAge) {
        return;
      }
      oldest.remove();
      emitAll(waiting, null);
    }
  }

  private void emitAll(Pending waiting, AuditRecord syscall) {
    for (AuditRecord avc : waiting.avcs) {
      try {
        emit(selinux(avc, syscall));
      } catch (BadField e) {
        stats.malformed("serial " + avc.serial(), new ParseOutcome.Malformed(e.field, e.getMessage()));
      }
    }
  }

  private void emit(AuditEvent event) {
    stats.event();
    events.accept(event);
  }

  private static AuditEvent.Seccomp seccomp(AuditRecord record) {
    return new AuditEvent.Seccomp(record.epochMillis(), record.serial(), pid(record), executable(record),
        hex(record, "arch", true), (int) number(record, "syscall", Integer.MAX_VALUE, true),
        SeccompActions.name(hex(record, "code", false)));
  }

  private static AuditEvent.AppArmor appArmor(AuditRecord record) {
    String verdict = record.field("apparmor");
    if (verdict == null) {
      throw new BadField("apparmor", "missing");
    }
    return new AuditEvent.AppArmor(record.epochMillis(), record.serial(), pid(record), executable(record), verdict,
        orEmpty(record.field("operation")), orEmpty(record.field("profile")), orEmpty(record.field("name")),
        orEmpty(record.field("requested_mask")), orEmpty(record.field("denied_mask")));
  }

  /** Checked when the AVC comes, so a bad one is reported with its own line. */
  private static void requireAvcFields(AuditRecord avc) {
    for (String field : new String[] {"scontext", "tcontext", "tclass"}) {
      if (avc.field(field) == null) {
        throw new BadField(field, "missing");
      }
    }
    if (avc.field("pid") != null) {
      pid(avc);
    }
  }

  private static AuditEvent.Selinux selinux(AuditRecord avc, AuditRecord syscall) {
    String scontext = avc.field("scontext");
    String tcontext = avc.field("tcontext");
    String tclass = avc.field("tclass");
    long pid = avc.field("pid") != null ? pid(avc) : syscall != null ? pid(syscall) : 0;
    String executable = syscall != null && syscall.field("exe") != null ? syscall.field("exe") : executable(avc);
    long arch = syscall != null ? hex(syscall, "arch", false) : -1;
    int number = syscall != null ? (int) number(syscall, "syscall", Integer.MAX_VALUE, false) : -1;
    return new AuditEvent.Selinux(avc.epochMillis(), avc.serial(), pid, executable, avc.avc().verdict(),
        avc.avc().permissions(), scontext, tcontext, tclass, orEmpty(avc.field("name")),
        "1".equals(avc.field("permissive")), arch, number);
  }

  private static long pid(AuditRecord record) {
    long pid = number(record, "pid", Integer.MAX_VALUE, true);
    if (pid <= 0) {
      throw new BadField("pid", "not a process id: " + pid);
    }
    return pid;
  }

  private static String executable(AuditRecord record) {
    String exe = record.field("exe");
    return exe != null ? exe : orEmpty(record.field("comm"));
  }

  private static long number(AuditRecord record, String field, long max, boolean required) {
    String value = record.field(field);
    if (value == null) {
      if (required) {
        throw new BadField(field, "missing");
      }
      return -1;
    }
    try {
      long number = Long.parseLong(value);
      if (number < 0 || number > max) {
        throw new BadField(field, "out of range: " + shorten(value));
      }
      return number;
    } catch (NumberFormatException e) {
      throw new BadField(field, "not a number: " + shorten(value));
    }
  }

  private static long hex(AuditRecord record, String field, boolean required) {
    String value = record.field(field);
    if (value == null) {
      if (required) {
        throw new BadField(field, "missing");
      }
      return -1;
    }
    String digits = value.startsWith("0x") ? value.substring(2) : value;
    try {
      if (digits.isEmpty() || digits.length() > 8) {
        throw new NumberFormatException();
      }
      return Long.parseLong(digits, 16);
    } catch (NumberFormatException e) {
      throw new BadField(field, "not a 32-bit hex number: " + shorten(value));
    }
  }

  private static String shorten(String value) {
    return value.length() > 40 ? "'" + value.substring(0, 40) + "...'" : "'" + value + "'";
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  /** AVC records of one event, waiting for its SYSCALL record. */
  private static final class Pending {
    final long since;
    final List<AuditRecord> avcs = new ArrayList<>(1);

    Pending(long since) {
      this.since = since;
    }
  }

  /** A field of a well-formed line with a value the event cannot use; cheap, no stack trace. */
  private static final class BadField extends RuntimeException {
    final String field;

    BadField(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }
  }
}
