package dev.profileops.nodedaemon.recording;

import dev.profileops.nodedaemon.enricher.parse.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code allow} map of a recorded SelinuxProfile from the AVCs of a container that ran as
 * {@code selinuxrecording.process} (permissive, so every access it made was logged, not refused):
 * target type → object class → sorted permissions; a target of the recording type itself is
 * {@code @self}. AVCs of other source types are not the container's and are left out.
 */
public final class RecordedSelinuxAllow {
  /** The type the workload runs as while SELinux is recorded (SPO's recording policy). */
  public static final String RECORDING_TYPE = "selinuxrecording.process";

  private final Map<String, Map<String, TreeSet<String>>> allow = new TreeMap<>();

  /** Adds an AVC; false when it is not the recorded workload's. */
  public boolean add(AuditEvent.Selinux avc) {
    String source = type(avc.scontext());
    if (!RECORDING_TYPE.equals(source)) {
      return false;
    }
    String target = type(avc.tcontext());
    String key = RECORDING_TYPE.equals(target) ? "@self" : target;
    if (key == null) {
      return false;
    }
    allow.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(avc.tclass(), c -> new TreeSet<>()).addAll(avc.permissions());
    return true;
  }

  /** The allow map as SelinuxProfileSpec holds it. */
  public Map<String, Map<String, List<String>>> allow() {
    Map<String, Map<String, List<String>>> result = new TreeMap<>();
    allow.forEach((type, classes) -> {
      Map<String, List<String>> byClass = new TreeMap<>();
      classes.forEach((tclass, permissions) -> byClass.put(tclass, new ArrayList<>(permissions)));
      result.put(type, byClass);
    });
    return result;
  }

  /** The type of {@code user:role:type:level}; null when the context has no type. */
  static String type(String context) {
    String[] parts = context.split(":", 4);
    return parts.length >= 3 && !parts[2].isEmpty() ? parts[2] : null;
  }
}
