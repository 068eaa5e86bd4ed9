package dev.profileops.syncer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The CRUD mock server cannot do server-side apply; check the request a real API server gets. */
@EnableKubernetesMockClient
class ServerSideApplyRequestTest {
  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void appliesWithOurFieldManagerAndForce() throws InterruptedException {
    SeccompProfile profile = new SeccompProfile();
    profile.setMetadata(new ObjectMetaBuilder().withName("web").build());
    SeccompProfileSpec spec = new SeccompProfileSpec();
    spec.setDefaultAction(SeccompAction.SCMP_ACT_ERRNO);
    profile.setSpec(spec);
    server.expect().patch().withPath("/apis/security-profiles-operator.x-k8s.io/v1/seccompprofiles/web?fieldManager=profileops-syncer&force=true")
        .andReturn(200, profile).once();

    ObjectWriter.serverSideApply().write(client, profile);

    RecordedRequest request = server.getLastRequest();
    assertThat(request.getMethod()).isEqualTo("PATCH");
    assertThat(request.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
    assertThat(request.getPath()).contains("fieldManager=profileops-syncer", "force=true");
    assertThat(request.getBody().readUtf8()).contains("SCMP_ACT_ERRNO");
  }
}
