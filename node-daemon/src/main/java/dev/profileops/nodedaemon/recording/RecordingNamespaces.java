package dev.profileops.nodedaemon.recording;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Which namespaces opted in to recording, as in SPO: those labelled {@value #LABEL} (any value; SPO's
 * recording webhook selects them with {@code operator: Exists}).
 */
@FunctionalInterface
public interface RecordingNamespaces {
  String LABEL = "spo.x-k8s.io/enable-recording";

  boolean optedIn(String namespace);

  /** Asks the API server for the namespace's labels (once per reconcile: recordings change rarely). */
  static RecordingNamespaces labelled(KubernetesClient client) {
    return name -> {
      Namespace namespace = client.namespaces().withName(name).get();
      return namespace != null && namespace.getMetadata().getLabels() != null
          && namespace.getMetadata().getLabels().containsKey(LABEL);
    };
  }
}
