package dev.profileops.nodedaemon;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;

/** CRDs for the mock API server, made from the resource classes, with their status subresource. */
public final class MockCrds {
  private MockCrds() {}

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
