package dev.profileops.syncer.cluster;

import dev.profileops.api.SpoApi;
import dev.profileops.syncer.source.ProfileKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes rendered objects (server-side apply in a real cluster, see {@link ObjectWriter}), then prunes the objects
 * of this source that left the repository. Objects of other sources, or not labelled by us, are never
 * touched; objects from files that are broken now are kept as they are.
 */
public final class ClusterApplier {
  private final KubernetesClient client;
  private final String source;
  private final ObjectWriter writer;
  private final String defaultNamespace;

  public ClusterApplier(KubernetesClient client, String source, ObjectWriter writer) {
    this(client, source, writer, client.getNamespace());
  }

  /** @param defaultNamespace where namespaced objects that name no namespace go */
  public ClusterApplier(KubernetesClient client, String source, ObjectWriter writer, String defaultNamespace) {
    this.client = client;
    this.source = source;
    this.writer = writer;
    this.defaultNamespace = defaultNamespace;
  }

  /**
   * @param objects the valid rendered objects, labelled with this source
   * @param brokenFiles repository files with errors now: what came from them stays
   * @param brokenIds {@code Kind/name} of objects with errors now: they stay as they are
   */
  public ClusterApplyResult apply(List<HasMetadata> objects, Set<String> brokenFiles, Set<String> brokenIds, boolean prune) {
    List<String> applied = new ArrayList<>();
    Set<String> wanted = new HashSet<>();
    for (HasMetadata object : objects) {
      if (object.getMetadata().getNamespace() == null && isNamespaced(object.getKind())) {
        object.getMetadata().setNamespace(defaultNamespace);
      }
      writer.write(client, object);
      String id = id(object);
      wanted.add(id);
      applied.add(id);
    }
    List<String> pruned = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    if (prune) {
      for (HasMetadata existing : owned()) {
        String id = id(existing);
        if (wanted.contains(id)) {
          continue;
        }
        Map<String, String> annotations = existing.getMetadata().getAnnotations();
        String file = annotations == null ? null : annotations.get(SpoApi.ANNOTATION_PATH);
        if (brokenIds.contains(id) || (file != null && brokenFiles.contains(file))) {
          kept.add(id);
          continue;
        }
        client.resource(existing).delete();
        pruned.add(id);
      }
    }
    return new ClusterApplyResult(applied, pruned, kept);
  }

  /** Every object of our kinds that carries this source's label. */
  private List<HasMetadata> owned() {
    List<HasMetadata> owned = new ArrayList<>();
    for (ProfileKinds.KindInfo kind : ProfileKinds.all()) {
      var resources = client.resources(kind.type());
      var list = kind.namespaced()
          ? resources.inAnyNamespace().withLabel(SpoApi.LABEL_SOURCE, source).list()
          : resources.withLabel(SpoApi.LABEL_SOURCE, source).list();
      owned.addAll(list.getItems());
    }
    return owned;
  }

  private static boolean isNamespaced(String kind) {
    return ProfileKinds.find(kind).map(ProfileKinds.KindInfo::namespaced).orElse(false);
  }

  private static String id(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getName();
  }
}
