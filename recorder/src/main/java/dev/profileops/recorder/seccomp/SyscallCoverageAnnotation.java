package dev.profileops.recorder.seccomp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.profileops.recorder.merge.RuleCoverage;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * SPO's annotation on a merged seccomp profile, {@value #ANNOTATION}:
 * {@code {"version":"v1","total":N,"syscalls":{"read":N,...}}}, how many replicas used each syscall.
 */
public final class SyscallCoverageAnnotation {
  public static final String ANNOTATION = "spo.x-k8s.io/syscall-coverage";
  public static final String VERSION = "v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SyscallCoverageAnnotation() {}

  /** The annotation's value. */
  public static String write(RuleCoverage coverage) {
    ObjectNode node = JSON.createObjectNode();
    node.put("version", VERSION);
    node.put("total", coverage.total());
    ObjectNode counts = node.putObject("syscalls");
    coverage.rules().forEach(counts::put);
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
  public static RuleCoverage parse(String annotation) {
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
    try {
      return new RuleCoverage(node.get("total").intValue(), counts);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ANNOTATION + ": " + e.getMessage());
    }
  }
}
