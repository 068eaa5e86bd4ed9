package dev.profileops.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of Kubernetes' strategic merge patch that our overlays use: maps merge key by key, a
 * {@code null} value deletes the key, lists of containers, volumes, env and ports merge item by item on
 * their merge key (as the API server's patchMergeKey says), every other list is replaced whole.
 * Directives ({@code $patch}, {@code $setElementOrder}...) are refused rather than misread.
 */
public final class StrategicMergePatch {
  private StrategicMergePatch() {}

  /** A copy of {@code target} with {@code patch} applied; neither argument changes. */
  public static Map<String, Object> apply(Map<String, Object> target, Map<String, Object> patch) {
    return merge(target, patch, "");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> merge(Map<String, Object> target, Map<String, Object> patch, String path) {
    Map<String, Object> result = new LinkedHashMap<>(target);
    for (Map.Entry<String, Object> e : patch.entrySet()) {
      String key = e.getKey();
      String here = path.isEmpty() ? key : path + "." + key;
      if (key.startsWith("$")) {
        throw new IllegalArgumentException("strategic merge directive " + here + " is not supported");
      }
      Object value = e.getValue();
      Object current = result.get(key);
      if (value == null) {
        result.remove(key);
      } else if (value instanceof Map<?, ?> m && current instanceof Map<?, ?> c) {
        result.put(key, merge((Map<String, Object>) c, (Map<String, Object>) m, here));
      } else if (value instanceof List<?> l && current instanceof List<?> c) {
        result.put(key, mergeList(key, (List<Object>) c, (List<Object>) l, here));
      } else {
        result.put(key, value);
      }
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> mergeList(String field, List<Object> target, List<Object> patch, String path) {
    Optional<String> mergeKey = mergeKey(field, patch);
    if (mergeKey.isEmpty()) {
      return new ArrayList<>(patch);
    }
    String key = mergeKey.get();
    // kustomize's order: the patch's items first, in the patch's order (merged with the target's item
    // of the same key), then the target's items the patch does not name, in their order.
    List<Object> rest = new ArrayList<>(target);
    List<Object> result = new ArrayList<>();
    for (Object item : patch) {
      if (!(item instanceof Map<?, ?> patchItem) || !patchItem.containsKey(key)) {
        throw new IllegalArgumentException(path + ": every item must be a map with its merge key " + key);
      }
      int index = indexOf(rest, key, patchItem.get(key));
      if (index < 0) {
        result.add(item);
      } else {
        result.add(merge((Map<String, Object>) rest.remove(index), (Map<String, Object>) patchItem,
            path + "[" + key + "=" + patchItem.get(key) + "]"));
      }
    }
    result.addAll(rest);
    return result;
  }

  private static int indexOf(List<Object> items, String key, Object value) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof Map<?, ?> m && value.equals(m.get(key))) {
        return i;
      }
    }
    return -1;
  }

  /** The patchMergeKey of the Kubernetes types for the list fields we patch. */
  private static Optional<String> mergeKey(String field, List<Object> patch) {
    return switch (field) {
      case "containers", "initContainers", "ephemeralContainers", "volumes", "env", "imagePullSecrets" -> Optional.of("name");
      case "volumeMounts" -> Optional.of("mountPath");
      // A container's ports merge on containerPort, a Service's on port.
      case "ports" -> Optional.of(!patch.isEmpty() && patch.get(0) instanceof Map<?, ?> m && m.containsKey("containerPort")
          ? "containerPort" : "port");
      default -> Optional.empty();
    };
  }
}
