package dev.profileops.syncer.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.profileops.api.SpoApi;
import dev.profileops.syncer.source.LoadedObject;
import dev.profileops.syncer.source.ProfileKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns loaded objects into what the cluster gets: v1 objects without status, annotated with the file
 * they came from (and, in cluster mode, labelled with their source and annotated with the commit).
 */
public final class ObjectRenderer {
  private static final ObjectMapper JSON = JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();
  private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .build())
      .build();

  /** Source identity stamped on each object; both null for plain {@code render}. */
  public record Stamp(String source, String revision) {
    public static final Stamp NONE = new Stamp(null, null);
  }

  /** The rendered objects, sorted in apply order (profiles first) then by name. */
  public List<HasMetadata> render(List<LoadedObject> objects, Stamp stamp) {
    return objects.stream()
        .sorted(Comparator.comparingInt((LoadedObject o) -> ProfileKinds.order(o.kind())).thenComparing(LoadedObject::name))
        .map(o -> stamped(o, stamp))
        .toList();
  }

  /** A YAML stream, one document per object, as {@code kubectl apply -f -} and Argo CD take it. */
  public String toYamlStream(List<HasMetadata> objects) {
    StringBuilder out = new StringBuilder();
    for (HasMetadata object : objects) {
      try {
        out.append(YAML.writeValueAsString(toTree(object)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString();
  }

  private static HasMetadata copyOf(HasMetadata resource) {
    try {
      return JSON.treeToValue(JSON.valueToTree(resource), resource.getClass());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The object as the cluster sees it: apiVersion, kind, metadata, spec; never status. */
  public static ObjectNode toTree(HasMetadata object) {
    ObjectNode tree = JSON.valueToTree(object);
    tree.remove("status");
    JsonNode metadata = tree.get("metadata");
    if (metadata instanceof ObjectNode m) {
      m.remove(List.of("creationTimestamp", "resourceVersion", "uid", "generation", "managedFields", "finalizers"));
    }
    return tree;
  }

  /**
   * Labels and annotations by which Argo CD, Flux and kubectl track what they applied. Copied from a file
   * (say, one exported with kubectl get), they would make another tool claim, and prune, our objects.
   */
  static boolean isForeignTrackingKey(String key) {
    return key.equals("app.kubernetes.io/instance")
        || key.startsWith("argocd.argoproj.io/")
        || key.startsWith("kustomize.toolkit.fluxcd.io/")
        || key.startsWith("helm.toolkit.fluxcd.io/")
        || key.equals("kubectl.kubernetes.io/last-applied-configuration");
  }

  private static HasMetadata stamped(LoadedObject o, Stamp stamp) {
    // A copy: loaded objects are cached between syncs and must not carry one sync's stamp into the next.
    HasMetadata resource = copyOf(o.resource());
    ObjectMeta meta = resource.getMetadata();
    Map<String, String> annotations = new HashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
    annotations.keySet().removeIf(ObjectRenderer::isForeignTrackingKey);
    annotations.put(SpoApi.ANNOTATION_PATH, o.file());
    if (stamp.revision() != null) {
      annotations.put(SpoApi.ANNOTATION_REVISION, stamp.revision());
    }
    meta.setAnnotations(new java.util.TreeMap<>(annotations));
    Map<String, String> labels = new java.util.TreeMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
    labels.keySet().removeIf(ObjectRenderer::isForeignTrackingKey);
    labels.put(SpoApi.LABEL_MANAGED_BY, SpoApi.MANAGED_BY_VALUE);
    if (stamp.source() != null) {
      labels.put(SpoApi.LABEL_SOURCE, stamp.source());
    }
    meta.setLabels(labels);
    return resource;
  }
}
