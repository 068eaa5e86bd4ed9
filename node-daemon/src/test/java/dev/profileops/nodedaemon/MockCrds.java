package dev.profileops.nodedaemon;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;

/** CRDs for the mock API server, made from the resource classes, with their status subresource. */
public final class MockCrds {
  private MockCrds() {}

  /** Creates the CRDs of the types, each {@link #withStatus with its status subresource}. */
  @SafeVarargs
  public static void create(KubernetesClient client, Class<? extends CustomResource<?, ?>>... types) {
    for (Class<? extends CustomResource<?, ?>> type : types) {
      client.apiextensions().v1().customResourceDefinitions().resource(withStatus(type)).create();
    }
  }

  public static CustomResourceDefinition withStatus(Class<? extends CustomResource<?, ?>> type) {
    return CustomResourceDefinitionContext.v1CRDFromCustomResourceType(type)
        .editSpec()
        .editFirstVersion()
        .withNewSubresources().withNewStatus().endStatus().endSubresources()
        .endVersion()
        .endSpec()
        .build();
  }
}
