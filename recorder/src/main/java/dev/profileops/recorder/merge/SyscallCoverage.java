package dev.profileops.recorder.merge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How many of the recorded replicas used each syscall of a merged profile: SPO's annotation
 * {@value #ANNOTATION}, {@code {"version":"v1","total":N,"syscalls":{"read":N,...}}}. A syscall only a
 * few replicas saw is the one a reviewer should look at (a rare code path, or one odd replica).
 */
public record SyscallCoverage(int total, SortedMap<String, Integer> syscalls) {
  public static final String ANNOTATION = "spo.x-k8s.io/syscall-coverage";
  public static final String VERSION = "v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  public SyscallCoverage {
    if (total < 1) {
      throw new IllegalArgumentException("coverage of " + total + " replicas");
    }
    syscalls = Collections.unmodifiableSortedMap(new TreeMap<>(syscalls));
    syscalls.forEach((name, seen) -> {
      if (seen < 1 || seen > total) {
        throw new IllegalArgumentException("syscall " + name + " seen by " + seen + " of " + total + " replicas");
      }
    });
  }

  /** The syscalls fewer than all replicas used, with their counts. */
  public SortedMap<String, Integer> partiallySeen() {
    TreeMap<String, Integer> partial = new TreeMap<>();
    syscalls.forEach((name, seen) -> {
      if (seen < total) {
        partial.put(name, seen);
      }
    });
    return partial;
  }

  /** The annotation's value. */
  public String toAnnotation() {
    ObjectNode node = JSON.createObjectNode();
    node.put("version", VERSION);
    node.put("total", total);
    ObjectNode counts = node.putObject("syscalls");
    syscalls.forEach(counts::put);
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads an annotation's value.
   *
   * @throws IllegalArgumentException naming the field that is missing or wrong
   */
  public static SyscallCoverage parse(String annotation) {
    JsonNode node;
    try {
      node = JSON.readTree(annotation);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(ANNOTATION + ": not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(ANNOTATION + ": not a JSON object");
    }
    if (!VERSION.equals(node.path("version").asText())) {
      throw new IllegalArgumentException(ANNOTATION + ": version must be " + VERSION + ", not " + node.path("version"));
    }
    if (!node.path("total").canConvertToInt()) {
      throw new IllegalArgumentException(ANNOTATION + ": total must be a number");
    }
    if (!node.path("syscalls").isObject()) {
      throw new IllegalArgumentException(ANNOTATION + ": syscalls must be an object of name: replicas-seen");
    }
    TreeMap<String, Integer> counts = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.get("syscalls").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().canConvertToInt()) {
        throw new IllegalArgumentException(ANNOTATION + ": syscalls." + e.getKey() + " must be a number");
      }
      counts.put(e.getKey(), e.getValue().intValue());
    }
    return new SyscallCoverage(node.get("total").intValue(), counts);
  }
}
