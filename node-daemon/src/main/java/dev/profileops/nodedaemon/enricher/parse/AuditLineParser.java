package dev.profileops.nodedaemon.enricher.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses one log line into an {@link AuditRecord}, whichever source wrote it: auditd's
 * {@code type=SECCOMP msg=audit(1700000000.123:42): ...}, the kernel log's
 * {@code audit: type=1326 audit(1700000000.123:42): ...} (raw {@code /dev/kmsg}, dmesg or syslog
 * prefixes before it are skipped). Lines of other types are {@link ParseOutcome#IGNORED} early,
 * without scanning their fields; lines that claim a type it reads but break the format are
 * {@link ParseOutcome.Malformed}. Never throws on any input. Hand-written scanning, no regular
 * expressions: the enricher reads whole audit logs.
 */
public final class AuditLineParser {
  /** Longer lines are not the kernel's (it caps a record at 8 KiB) and are refused unread. */
  public static final int MAX_LINE_LENGTH = 16 * 1024;

  /** Fields the kernel writes as untrusted strings: quoted, or hex when they hold odd characters. */
  private static final Set<String> UNTRUSTED_STRINGS =
      Set.of("comm", "exe", "name", "profile", "proctitle", "path", "cwd", "peer", "target", "info");

  /** The fields events are made of; the others (a dozen per line) are skipped without copying. */
  private static final Set<String> READ_FIELDS = Set.of("pid", "comm", "exe", "arch", "syscall", "code", "scontext", "tcontext",
      "tclass", "name", "permissive", "apparmor", "operation", "profile", "requested_mask", "denied_mask", "uid");

  private static final int MAX_SECONDS_DIGITS = 12;
  private static final int MAX_SERIAL_DIGITS = 19;

  public ParseOutcome parse(String line) {
    if (line == null || line.isEmpty()) {
      return ParseOutcome.IGNORED;
    }
    if (line.length() > MAX_LINE_LENGTH) {
      return new ParseOutcome.Malformed("", "line longer than " + MAX_LINE_LENGTH + " characters");
    }
    int typeAt = typeField(line);
    if (typeAt < 0) {
      return ParseOutcome.IGNORED;
    }
    int typeEnd = tokenEnd(line, typeAt);
    RecordType type = RecordType.of(line.substring(typeAt, typeEnd));
    if (type == null) {
      return ParseOutcome.IGNORED;
    }
    // auditd's enriched format appends interpreted fields after a group separator; we want the raw ones
    int end = line.indexOf('\u001d', typeEnd);
    if (end < 0) {
      end = line.length();
    }
    int stampAt = line.indexOf("audit(", typeEnd);
    if (stampAt < 0 || stampAt >= end) {
      return new ParseOutcome.Malformed("audit", "no audit(<seconds>.<millis>:<serial>) stamp");
    }
    int at = stampAt + "audit(".length();
    int dot = digitsEnd(line, at, end);
    if (dot == at || dot - at > MAX_SECONDS_DIGITS || dot >= end || line.charAt(dot) != '.') {
      return new ParseOutcome.Malformed("audit", "seconds are not a number");
    }
    int colon = digitsEnd(line, dot + 1, end);
    if (colon - dot - 1 != 3 || colon >= end || line.charAt(colon) != ':') {
      return new ParseOutcome.Malformed("audit", "milliseconds are not three digits");
    }
    int close = digitsEnd(line, colon + 1, end);
    if (close == colon + 1 || close - colon - 1 > MAX_SERIAL_DIGITS || close >= end || line.charAt(close) != ')') {
      return new ParseOutcome.Malformed("audit", "serial is not a number");
    }
    long seconds = Long.parseLong(line, at, dot, 10);
    long millis = seconds * 1000 + Long.parseLong(line, dot + 1, colon, 10);
    long serial;
    try {
      serial = Long.parseLong(line, colon + 1, close, 10);
    } catch (NumberFormatException e) {
      return new ParseOutcome.Malformed("audit", "serial out of range");
    }
    int body = close + 1;
    if (body < end && line.charAt(body) == ':') {
      body++;
    }
    AuditRecord.AvcHeader avc = null;
    if (type == RecordType.AVC) {
      int first = skipSpaces(line, body, end);
      if (line.startsWith("avc:", first)) {
        Object header = avcHeader(line, first + "avc:".length(), end);
        if (header instanceof ParseOutcome.Malformed malformed) {
          return malformed;
        }
        AvcAt parsed = (AvcAt) header;
        avc = parsed.header;
        body = parsed.next;
      } else if (line.indexOf("apparmor=", first) >= 0 && line.indexOf("apparmor=", first) < end) {
        type = RecordType.APPARMOR;
      } else {
        return new ParseOutcome.Malformed("avc", "an AVC record that is neither SELinux (avc:) nor AppArmor (apparmor=)");
      }
    }
    Map<String, String> fields = new HashMap<>(16);
    Object scanned = scanFields(line, body, end, fields);
    if (scanned instanceof ParseOutcome.Malformed malformed) {
      return malformed;
    }
    return new ParseOutcome.Parsed(new AuditRecord(type, millis, serial, fields, avc));
  }

  /** Where the value of the line's {@code type=} field starts: at the start or after a space/;. */
  private static int typeField(String line) {
    int from = 0;
    while (true) {
      int at = line.indexOf("type=", from);
      if (at < 0) {
        return -1;
      }
      if (at == 0 || line.charAt(at - 1) == ' ' || line.charAt(at - 1) == ';') {
        return at + "type=".length();
      }
      from = at + 1;
    }
  }

  private record AvcAt(AuditRecord.AvcHeader header, int next) {}

  /** {@code  denied  { read write } for }: verdict, permissions, and where the fields start. */
  private static Object avcHeader(String line, int from, int end) {
    int at = skipSpaces(line, from, end);
    int verdictEnd = tokenEnd(line, at, end);
    String verdict = line.substring(at, verdictEnd);
    if (!verdict.equals("denied") && !verdict.equals("granted")) {
      return new ParseOutcome.Malformed("avc", "verdict is neither denied nor granted");
    }
    at = skipSpaces(line, verdictEnd, end);
    if (at >= end || line.charAt(at) != '{') {
      return new ParseOutcome.Malformed("avc", "no { permissions }");
    }
    int close = line.indexOf('}', at);
    if (close < 0 || close >= end) {
      return new ParseOutcome.Malformed("avc", "permissions not closed with }");
    }
    List<String> permissions = new ArrayList<>(2);
    int p = at + 1;
    while (true) {
      p = skipSpaces(line, p, close);
      if (p >= close) {
        break;
      }
      int permissionEnd = tokenEnd(line, p, close);
      permissions.add(line.substring(p, permissionEnd));
      p = permissionEnd;
    }
    if (permissions.isEmpty()) {
      return new ParseOutcome.Malformed("avc", "empty permission set");
    }
    int next = skipSpaces(line, close + 1, end);
    if (line.startsWith("for", next) && (next + 3 == end || line.charAt(next + 3) == ' ')) {
      next += 3;
    }
    return new AvcAt(new AuditRecord.AvcHeader(verdict, List.copyOf(permissions)), next);
  }

  /** {@code key=value key="quoted value" key=HEX}; tokens without {@code =} are skipped. */
  private static Object scanFields(String line, int from, int end, Map<String, String> fields) {
    int at = from;
    while (true) {
      at = skipSpaces(line, at, end);
      if (at >= end) {
        return null;
      }
      int tokenEnd = tokenEnd(line, at, end);
      int equals = line.indexOf('=', at);
      if (equals < 0 || equals >= tokenEnd || equals == at) {
        at = tokenEnd;
        continue;
      }
      String key = line.substring(at, equals);
      boolean read = READ_FIELDS.contains(key);
      int valueAt = equals + 1;
      int next;
      char first = valueAt < end ? line.charAt(valueAt) : ' ';
      if (first == '"' || first == '\'') {
        int close = line.indexOf(first, valueAt + 1);
        if (close < 0 || close >= end) {
          return new ParseOutcome.Malformed(key, "quoted value not closed");
        }
        if (read) {
          fields.putIfAbsent(key, line.substring(valueAt + 1, close));
        }
        next = close + 1;
      } else {
        next = tokenEnd(line, valueAt, end);
        if (read) {
          String value = line.substring(valueAt, next);
          if (UNTRUSTED_STRINGS.contains(key) && isHexEncoded(value)) {
            value = decodeHex(value);
          }
          fields.putIfAbsent(key, value);
        }
      }
      at = next;
    }
  }

  private static boolean isHexEncoded(String value) {
    if (value.length() < 2 || value.length() % 2 != 0) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return true;
  }

  private static String decodeHex(String hex) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(hex.length() / 2);
    for (int i = 0; i < hex.length(); i += 2) {
      bytes.write(Character.digit(hex.charAt(i), 16) << 4 | Character.digit(hex.charAt(i + 1), 16));
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int skipSpaces(String line, int from, int end) {
    int at = from;
    while (at < end && line.charAt(at) == ' ') {
      at++;
    }
    return at;
  }

  private static int tokenEnd(String line, int from) {
    return tokenEnd(line, from, line.length());
  }

  private static int tokenEnd(String line, int from, int end) {
    int at = from;
    while (at < end && line.charAt(at) != ' ') {
      at++;
    }
    return at;
  }

  private static int digitsEnd(String line, int from, int end) {
    int at = from;
    while (at < end && line.charAt(at) >= '0' && line.charAt(at) <= '9') {
      at++;
    }
    return at;
  }
}
