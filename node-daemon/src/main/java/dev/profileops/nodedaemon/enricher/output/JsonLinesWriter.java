package dev.profileops.nodedaemon.enricher.output;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.profileops.nodedaemon.enricher.parse.AuditEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * One JSON object per event and line: {@code time, node, namespace, pod, container, containerID,
 * executable, pid, type}, then the kind's fields ({@code syscall, syscallNumber, arch} for seccomp;
 * {@code verdict, permissions, scontext, tcontext, tclass, name, permissive} for SELinux;
 * {@code verdict, operation, profile, name, requestedMask, deniedMask} for AppArmor) and
 * {@code action}. Pod fields are empty strings when unknown.
 */
public final class JsonLinesWriter implements EnrichedSink {
  private final JsonGenerator json;
  private long lastSecond = Long.MIN_VALUE;
  private String secondPrefix;

  public JsonLinesWriter(OutputStream out) throws IOException {
    this.json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    json.setRootValueSeparator(null);
  }

  @Override
  public void accept(EnrichedEvent enriched) throws IOException {
    AuditEvent event = enriched.event();
    json.writeStartObject();
    json.writeStringField("time", time(event.epochMillis()));
    json.writeStringField("node", enriched.node());
    json.writeStringField("namespace", enriched.pod() == null ? "" : enriched.pod().namespace());
    json.writeStringField("pod", enriched.pod() == null ? "" : enriched.pod().pod());
    json.writeStringField("container", enriched.pod() == null ? "" : enriched.pod().container());
    json.writeStringField("containerID", enriched.containerId() == null ? "" : enriched.containerId());
    json.writeStringField("executable", event.executable());
    json.writeNumberField("pid", event.pid());
    json.writeNumberField("auditSerial", event.serial());
    if (event instanceof AuditEvent.Seccomp seccomp) {
        json.writeStringField("type", "seccomp");
        json.writeStringField("syscall", enriched.syscall());
        json.writeNumberField("syscallNumber", seccomp.syscall());
        json.writeStringField("arch", enriched.arch());
        json.writeStringField("action", seccomp.action());
    } else if (event instanceof AuditEvent.Selinux avc) {
        json.writeStringField("type", "selinux");
        json.writeStringField("verdict", avc.verdict());
        json.writeArrayFieldStart("permissions");
        for (String permission : avc.permissions()) {
          json.writeString(permission);
        }
        json.writeEndArray();
        json.writeStringField("scontext", avc.scontext());
        json.writeStringField("tcontext", avc.tcontext());
        json.writeStringField("tclass", avc.tclass());
        json.writeStringField("name", avc.name());
        json.writeBooleanField("permissive", avc.permissive());
        if (avc.syscall() >= 0) {
          json.writeStringField("syscall", enriched.syscall());
          json.writeStringField("arch", enriched.arch());
        }
        json.writeStringField("action", avc.permissive() || avc.verdict().equals("granted") ? "allowed" : "denied");
    } else if (event instanceof AuditEvent.AppArmor apparmor) {
        json.writeStringField("type", "apparmor");
        json.writeStringField("verdict", apparmor.verdict());
        json.writeStringField("operation", apparmor.operation());
        json.writeStringField("profile", apparmor.profile());
        json.writeStringField("name", apparmor.name());
        json.writeStringField("requestedMask", apparmor.requestedMask());
        json.writeStringField("deniedMask", apparmor.deniedMask());
        json.writeStringField("action", apparmor.verdict().equals("DENIED") ? "denied" : "allowed");
    }
    json.writeEndObject();
    json.writeRaw('\n');
  }

  /** ISO-8601 with milliseconds; the seconds part is formatted once per second of log. */
  private String time(long epochMillis) {
    long second = Math.floorDiv(epochMillis, 1000);
    if (second != lastSecond) {
      lastSecond = second;
      String whole = Instant.ofEpochSecond(second).toString(); // 2023-11-14T22:13:20Z
      secondPrefix = whole.substring(0, whole.length() - 1) + ".";
    }
    int millis = (int) Math.floorMod(epochMillis, 1000);
    return secondPrefix + (char) ('0' + millis / 100) + (char) ('0' + millis / 10 % 10) + (char) ('0' + millis % 10) + 'Z';
  }

  @Override
  public void flush() throws IOException {
    json.flush();
  }
}
