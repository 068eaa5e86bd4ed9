package dev.profileops.syncer.profilesource;

import dev.profileops.api.source.GitRef;
import dev.profileops.api.source.ProfileSource;
import dev.profileops.api.source.ProfileSourceSpec;
import dev.profileops.host.seccomp.LibseccompSyscallTable;
import dev.profileops.syncer.cluster.ObjectWriter;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the tests that run the whole controller against the CRUD mock API server share: a short client
 * timeout, the CRDs, a started controller, and sources and profiles to sync.
 */
public final class ControllerTestSupport {
  private ControllerTestSupport() {}

  /** For {@code @EnableKubernetesMockClient(kubernetesClientBuilderCustomizer = ...)}: requests give up after 10 s. */
  public static class ShortTimeout implements Consumer<KubernetesClientBuilder> {
    @Override
    public void accept(KubernetesClientBuilder builder) {
      builder.editOrNewConfig().withRequestTimeout(10_000).endConfig();
    }
  }

  /** Creates the project's CRDs in the mock API server. */
  public static void createCrds(KubernetesClient client) throws IOException {
    try (Stream<Path> crds = Files.list(Path.of("../manifests/crds"))) {
      // The *.yml CRDs only: manifests/crds also holds the Kustomization that lists them.
      for (Path crd : crds.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(crd)) {
          client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
      }
    }
  }

  /** A started controller without leader election, cloning into {@code workDir}. */
  public static SyncerController startController(KubernetesClient client, Path workDir, MeterRegistry metrics) {
    SyncerController controller = new SyncerController(client, LibseccompSyscallTable.load(), ObjectWriter.createOrReplace(),
        workDir, metrics, null);
    controller.start();
    return controller;
  }

  /** A SeccompProfile that gives read and write {@code action}. */
  public static String profile(String name, String action) {
    return "apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: " + name
        + "\nspec:\n  defaultAction: SCMP_ACT_ERRNO\n  syscalls:\n    - names: [read, write]\n      action: " + action + "\n";
  }

  /** A source (not yet created) of the {@code profiles} folder of branch main of {@code url}, synced every {@code interval}. */
  public static ProfileSource source(String namespace, String name, String url, String interval) {
    ProfileSource source = new ProfileSource();
    source.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    ProfileSourceSpec spec = new ProfileSourceSpec();
    spec.setUrl(url);
    GitRef ref = new GitRef();
    ref.setBranch("main");
    spec.setRef(ref);
    spec.setPath("profiles");
    spec.setInterval(interval);
    source.setSpec(spec);
    return source;
  }

  /** A merge patch carries no resourceVersion, so it never conflicts with the controller's status writes. */
  public static void mergePatch(KubernetesClient client, String namespace, String name, String json) {
    client.resources(ProfileSource.class).inNamespace(namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }

  /** Asks for a sync now: a new requestedAt annotation. */
  public static void requestSync(KubernetesClient client, String namespace, String name) {
    mergePatch(client, namespace, name, "{\"metadata\":{\"annotations\":{\"" + ProfileSource.ANNOTATION_REQUESTED_AT + "\":\""
        + Instant.now() + "-" + System.nanoTime() + "\"}}}");
  }
}
