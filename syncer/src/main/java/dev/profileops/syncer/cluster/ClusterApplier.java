package dev.profileops.syncer.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.profileops.api.SpoApi;
import dev.profileops.syncer.render.ObjectRenderer;
import dev.profileops.syncer.source.ProfileKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes rendered objects (server-side apply in a real cluster, see {@link ObjectWriter}) that differ
 * from what the cluster holds, then prunes the objects of this source that left the repository.
 * Objects of other sources, or not labelled by us, are never touched; objects from files that are
 * broken now are kept as they are. Writing only what differs keeps a one-file commit cheap and puts
 * back, at the next sync, whatever was edited or deleted by hand.
 */
public final class ClusterApplier {
  private final KubernetesClient client;
  private final String source;
  private final ObjectWriter writer;
  private final String defaultNamespace;
  private final ClusterState state;

  public ClusterApplier(KubernetesClient client, String source, ObjectWriter writer) {
    this(client, source, writer, client.getNamespace(), new ApiClusterState(client));
  }

  /**
   * @param defaultNamespace where namespaced objects that name no namespace go
   * @param state what the cluster holds now
   */
  public ClusterApplier(KubernetesClient client, String source, ObjectWriter writer, String defaultNamespace,
      ClusterState state) {
    this.client = client;
    this.source = source;
    this.writer = writer;
    this.defaultNamespace = defaultNamespace;
    this.state = state;
  }

  /**
   * @param objects the valid rendered objects, labelled with this source
   * @param brokenFiles repository files with errors now: what came from them stays
   * @param brokenIds {@code Kind/name} of objects with errors now: they stay as they are
   */
  public ClusterApplyResult apply(List<HasMetadata> objects, Set<String> brokenFiles, Set<String> brokenIds, boolean prune) {
    return apply(objects, Set.of(), brokenFiles, brokenIds, prune);
  }

  /**
   * @param unchangedKeys {@link #key} of objects the caller already knows to be in place and left out
   *     of {@code objects}: they are neither written nor pruned
   */
  public ClusterApplyResult apply(List<HasMetadata> objects, Set<String> unchangedKeys, Set<String> brokenFiles,
      Set<String> brokenIds, boolean prune) {
    Map<String, HasMetadata> ours = current();
    ours.keySet().removeAll(unchangedKeys);
    List<String> applied = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    for (HasMetadata object : objects) {
      if (object.getMetadata().getNamespace() == null && isNamespaced(object.getKind())) {
        object.getMetadata().setNamespace(defaultNamespace);
      }
      HasMetadata existing = ours.remove(key(object));
      if (existing != null && sameContent(existing, object)) {
        unchanged.add(id(object));
      } else {
        writer.write(client, object);
        applied.add(id(object));
      }
    }
    List<String> pruned = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    if (prune) {
      for (Iterator<HasMetadata> it = ours.values().iterator(); it.hasNext(); ) {
        HasMetadata existing = it.next();
        Map<String, String> annotations = existing.getMetadata().getAnnotations();
        String file = annotations == null ? null : annotations.get(SpoApi.ANNOTATION_PATH);
        if (brokenIds.contains(id(existing)) || (file != null && brokenFiles.contains(file))) {
          kept.add(id(existing));
          continue;
        }
        client.resource(existing).delete();
        pruned.add(id(existing));
      }
    }
    return new ClusterApplyResult(applied, unchanged, pruned, kept);
  }

  /** This source's objects in the cluster (as the cached state has them), by {@link #key}. */
  public Map<String, HasMetadata> current() {
    Map<String, HasMetadata> ours = new HashMap<>();
    state.labelled().filter(o -> source.equals(o.getMetadata().getLabels().get(SpoApi.LABEL_SOURCE)))
        .forEach(o -> ours.put(key(o), o));
    return ours;
  }

  /**
   * Same spec, and every label and annotation we set already there with our value. The revision
   * annotation does not count: it records the commit that last changed the object.
   */
  static boolean sameContent(HasMetadata existing, HasMetadata desired) {
    ObjectNode have = ObjectRenderer.toTree(existing);
    ObjectNode want = ObjectRenderer.toTree(desired);
    if (!have.path("spec").equals(want.path("spec"))) {
      return false;
    }
    return contains(have.path("metadata").path("labels"), want.path("metadata").path("labels"))
        && contains(have.path("metadata").path("annotations"), want.path("metadata").path("annotations"));
  }

  private static boolean contains(JsonNode have, JsonNode want) {
    for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!SpoApi.ANNOTATION_REVISION.equals(e.getKey()) && !e.getValue().equals(have.path(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNamespaced(String kind) {
    return ProfileKinds.find(kind).map(ProfileKinds.KindInfo::namespaced).orElse(false);
  }

  /** {@code Kind/namespace/name}, the namespace empty for cluster-scoped kinds. */
  public static String key(HasMetadata object) {
    return key(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  /** {@code Kind/namespace/name}, the namespace empty when null (cluster-scoped). */
  public static String key(String kind, String namespace, String name) {
    return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
  }

  /** {@code Kind/name}, as {@link ClusterApplyResult} lists objects. */
  public static String id(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getName();
  }
}
