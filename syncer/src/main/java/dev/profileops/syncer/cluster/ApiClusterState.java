package dev.profileops.syncer.cluster;

import dev.profileops.api.SpoApi;
import dev.profileops.syncer.source.ProfileKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the cluster with one LIST per kind: for one-shot runs; the controller reads its informer caches. */
public final class ApiClusterState implements ClusterState {
  private final KubernetesClient client;

  public ApiClusterState(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Stream<HasMetadata> labelled() {
    List<HasMetadata> all = new ArrayList<>();
    for (ProfileKinds.KindInfo kind : ProfileKinds.all()) {
      var resources = client.resources(kind.type());
      var list = kind.namespaced()
          ? resources.inAnyNamespace().withLabel(SpoApi.LABEL_SOURCE).list()
          : resources.withLabel(SpoApi.LABEL_SOURCE).list();
      all.addAll(list.getItems());
    }
    return all.stream();
  }
}
