package dev.profileops.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kustomize build} does, for exactly the features our
 * manifests use: {@code resources} (files and directories holding a kustomization), {@code patches}
 * with a {@code path} to a strategic merge patch, {@code namespace} and {@code images}. Any other
 * field is refused, naming the file and the field, so that a manifest using more than this reader
 * understands fails its test instead of rendering wrongly. (kubectl's built-in kustomize is the real
 * tool; the tests compare with it where kubectl is installed, and this reader makes them run where it
 * is not: Debian's kubectl is too old for {@code patches}.)
 */
public final class KustomizationRenderer {
  private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "patches", "namespace", "images");
  /** Kinds kustomize knows as cluster-scoped; CRDs among the resources add theirs. */
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
      "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "Node",
      "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService", "SecurityContextConstraints");

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  /** The objects of the kustomization in {@code directory}, in resource order. */
  public RenderedManifests render(Path directory) throws IOException {
    return new RenderedManifests(build(directory.toAbsolutePath().normalize()));
  }

  private List<Map<String, Object>> build(Path directory) throws IOException {
    // The three names kustomize reads, in its order.
    Path file = java.util.stream.Stream.of("kustomization.yaml", "kustomization.yml", "Kustomization")
        .map(directory::resolve).filter(Files::isRegularFile).findFirst()
        .orElseThrow(() -> new IOException(directory + ": no kustomization.yaml"));
    Map<String, Object> kustomization = yaml.readValue(file.toFile(), new TypeReference<>() {});
    for (String field : kustomization.keySet()) {
      if (!SUPPORTED.contains(field)) {
        throw new IOException(file + ": field " + field + " is not supported by this renderer (supported: " + SUPPORTED + ")");
      }
    }
    List<Map<String, Object>> objects = new ArrayList<>();
    for (String resource : strings(kustomization, "resources", file)) {
      Path path = directory.resolve(resource).normalize();
      if (Files.isDirectory(path)) {
        objects.addAll(build(path));
      } else if (Files.isRegularFile(path)) {
        objects.addAll(readObjects(path));
      } else {
        throw new IOException(file + ": resources: " + resource + " does not exist");
      }
    }
    for (Map<String, Object> patchEntry : maps(kustomization, "patches", file)) {
      applyPatch(directory, file, patchEntry, objects);
    }
    if (kustomization.get("namespace") instanceof String namespace) {
      setNamespace(objects, namespace);
    }
    for (Map<String, Object> image : maps(kustomization, "images", file)) {
      setImage(objects, image, file);
    }
    return objects;
  }

  private List<Map<String, Object>> readObjects(Path path) throws IOException {
    List<Map<String, Object>> objects = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> documents = yaml.readerFor(new TypeReference<Map<String, Object>>() {})
        .readValues(path.toFile())) {
      while (documents.hasNext()) {
        Map<String, Object> document = documents.next();
        if (document == null || document.isEmpty()) {
          continue;
        }
        if (!(document.get("kind") instanceof String) || !(document.get("apiVersion") instanceof String)) {
          throw new IOException(path + ": a document without apiVersion or kind (line "
              + documents.getCurrentLocation().getLineNr() + ")");
        }
        objects.add(document);
      }
    }
    return objects;
  }

  private void applyPatch(Path directory, Path file, Map<String, Object> entry, List<Map<String, Object>> objects)
      throws IOException {
    if (!entry.keySet().equals(Set.of("path"))) {
      throw new IOException(file + ": patches: only {path: <strategic merge patch>} is supported, not " + entry.keySet());
    }
    Path patchFile = directory.resolve((String) entry.get("path")).normalize();
    for (Map<String, Object> patch : readObjects(patchFile)) {
      int target = -1;
      for (int i = 0; i < objects.size(); i++) {
        if (sameObject(objects.get(i), patch)) {
          target = i;
        }
      }
      if (target < 0) {
        throw new IOException(patchFile + ": no resource " + patch.get("kind") + " " + name(patch) + " to patch");
      }
      try {
        objects.set(target, StrategicMergePatch.apply(objects.get(target), patch));
      } catch (IllegalArgumentException e) {
        throw new IOException(patchFile + ": " + e.getMessage(), e);
      }
    }
  }

  private static boolean sameObject(Map<String, Object> object, Map<String, Object> patch) {
    String patchNamespace = namespace(patch);
    return Objects.equals(object.get("kind"), patch.get("kind")) && Objects.equals(name(object), name(patch))
        && (patchNamespace == null || patchNamespace.equals(namespace(object)));
  }

  @SuppressWarnings("unchecked")
  private static void setNamespace(List<Map<String, Object>> objects, String namespace) {
    Set<String> clusterScoped = new java.util.HashSet<>(CLUSTER_SCOPED);
    for (Map<String, Object> o : objects) {
      if ("CustomResourceDefinition".equals(o.get("kind")) && o.get("spec") instanceof Map<?, ?> spec
          && "Cluster".equals(spec.get("scope")) && spec.get("names") instanceof Map<?, ?> names) {
        clusterScoped.add((String) names.get("kind"));
      }
    }
    for (Map<String, Object> o : objects) {
      if (!clusterScoped.contains((String) o.get("kind"))) {
        ((Map<String, Object>) o.computeIfAbsent("metadata", k -> new LinkedHashMap<>())).put("namespace", namespace);
      }
    }
  }

  /** Replaces the image of every container whose image, without tag or digest, is the entry's name. */
  private static void setImage(List<Map<String, Object>> objects, Map<String, Object> image, Path file) throws IOException {
    if (!(image.get("name") instanceof String name)) {
      throw new IOException(file + ": images: an entry without name");
    }
    for (String field : image.keySet()) {
      if (!Set.of("name", "newName", "newTag", "digest").contains(field)) {
        throw new IOException(file + ": images: field " + field + " is not supported");
      }
    }
    for (Map<String, Object> o : objects) {
      replaceImages(o, name, image);
    }
  }

  @SuppressWarnings("unchecked")
  private static void replaceImages(Object node, String name, Map<String, Object> image) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (("containers".equals(e.getKey()) || "initContainers".equals(e.getKey())) && e.getValue() instanceof List<?> list) {
          for (Object c : list) {
            if (c instanceof Map<?, ?> container && container.get("image") instanceof String current
                && imageName(current).equals(name)) {
              ((Map<String, Object>) container).put("image", newImage(current, image));
            }
          }
        } else {
          replaceImages(e.getValue(), name, image);
        }
      }
    } else if (node instanceof List<?> list) {
      list.forEach(item -> replaceImages(item, name, image));
    }
  }

  private static String imageName(String image) {
    int at = image.indexOf('@');
    String withoutDigest = at < 0 ? image : image.substring(0, at);
    int colon = withoutDigest.lastIndexOf(':');
    return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
  }

  private static String newImage(String current, Map<String, Object> image) {
    String name = image.get("newName") instanceof String n ? n : imageName(current);
    if (image.get("digest") instanceof String digest) {
      return name + "@" + digest;
    }
    if (image.get("newTag") instanceof String tag) {
      return name + ":" + tag;
    }
    return name + current.substring(imageName(current).length());
  }

  private static List<String> strings(Map<String, Object> kustomization, String field, Path file) throws IOException {
    Object value = kustomization.getOrDefault(field, List.of());
    if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
      throw new IOException(file + ": " + field + " must be a list of strings");
    }
    return list.stream().map(String.class::cast).toList();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Map<String, Object> kustomization, String field, Path file) throws IOException {
    Object value = kustomization.getOrDefault(field, List.of());
    if (!(value instanceof List<?> list) || !list.stream().allMatch(Map.class::isInstance)) {
      throw new IOException(file + ": " + field + " must be a list of maps");
    }
    return (List<Map<String, Object>>) value;
  }

  static String name(Map<String, Object> object) {
    return object.get("metadata") instanceof Map<?, ?> m ? (String) m.get("name") : null;
  }

  static String namespace(Map<String, Object> object) {
    return object.get("metadata") instanceof Map<?, ?> m ? (String) m.get("namespace") : null;
  }
}
