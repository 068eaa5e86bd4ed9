package dev.profileops.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a kustomization renders to: plain objects, as {@code kustomize build} would print them. */
public record RenderedManifests(List<Map<String, Object>> objects) {

  public RenderedManifests {
    objects = List.copyOf(objects);
  }

  public List<Map<String, Object>> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  public Optional<Map<String, Object>> find(String kind, String namespace, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.get("kind")) && name.equals(KustomizationRenderer.name(o))
            && (namespace == null || namespace.equals(KustomizationRenderer.namespace(o))))
        .findFirst();
  }

  /** {@code apiVersion/kind namespace/name}, unique per object in a valid rendering. */
  public static String identity(Map<String, Object> object) {
    String namespace = KustomizationRenderer.namespace(object);
    return object.get("apiVersion") + "/" + object.get("kind") + " "
        + (namespace == null ? "" : namespace + "/") + KustomizationRenderer.name(object);
  }
}
