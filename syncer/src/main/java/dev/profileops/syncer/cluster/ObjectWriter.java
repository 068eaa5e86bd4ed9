package dev.profileops.syncer.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

/** How rendered objects are written to the API server. */
public interface ObjectWriter {
  String FIELD_MANAGER = "profileops-syncer";

  void write(KubernetesClient client, HasMetadata object);

  /**
   * Server-side apply under our own field manager, forcing conflicts: the repository is the truth for
   * the fields it sets, and fields other managers own (Argo CD's, kubectl's) are left alone.
   */
  static ObjectWriter serverSideApply() {
    return (client, object) -> client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  /**
   * Create, or replace what is there: for API servers without server-side apply, such as fabric8's
   * mock server that the tests use.
   */
  static ObjectWriter createOrReplace() {
    return (client, object) -> client.resource(object).createOr(NonDeletingOperation::update);
  }
}
