package dev.profileops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders every overlay of {@code manifests/} and checks what a cluster would be handed: kinds the
 * cluster knows, custom resources that fit our generated CRDs, RBAC without wildcards, references that
 * resolve, workloads with our images, probes and only the privileges they need.
 */
class DeploymentManifestsTest {
  static final Path MANIFESTS = Path.of("..", "manifests").toAbsolutePath().normalize();
  static final String NAMESPACE = "profileops";

  /** Built-in kinds and the fabric8 types they must parse as. */
  private static final Map<String, Class<? extends HasMetadata>> BUILT_IN = Map.ofEntries(
      Map.entry("v1/Namespace", Namespace.class),
      Map.entry("v1/ServiceAccount", ServiceAccount.class),
      Map.entry("v1/Service", Service.class),
      Map.entry("v1/Secret", Secret.class),
      Map.entry("apps/v1/Deployment", Deployment.class),
      Map.entry("apps/v1/DaemonSet", DaemonSet.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
      Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
      Map.entry("apiextensions.k8s.io/v1/CustomResourceDefinition", CustomResourceDefinition.class),
      Map.entry("admissionregistration.k8s.io/v1/MutatingWebhookConfiguration", MutatingWebhookConfiguration.class));
  /** Kinds of other operators' CRDs, used only by overlays meant for clusters that have them. */
  private static final Set<String> THIRD_PARTY = Set.of("monitoring.coreos.com/v1/ServiceMonitor",
      "security.openshift.io/v1/SecurityContextConstraints", "cert-manager.io/v1/Issuer", "cert-manager.io/v1/Certificate");
  /** Secrets the administrator creates (docs/deploy.md), per overlay; cert-manager's are checked apart. */
  private static final Map<String, Set<String>> EXTERNAL_SECRETS = Map.of(
      "with-webhooks", Set.of("profileops-webhook-secret"), "with-webhooks-self-managed", Set.of("profileops-webhook-secret"));
  private static final Set<String> BPF_CAPABILITIES = Set.of("BPF", "PERFMON", "SYS_ADMIN", "SYS_PTRACE", "SYS_RESOURCE");

  static CrdSchemaValidator crds;

  @BeforeAll
  static void readCrds() throws IOException {
    crds = CrdSchemaValidator.fromDirectory(MANIFESTS.resolve("crds"));
  }

  /** Every overlay of manifests/overlays, for the checks that hold in each. */
  static Stream<String> overlays() {
    return Stream.of("default", "with-webhooks", "with-webhooks-self-managed", "bpf-recorder", "selinux", "apparmor", "restricted");
  }

  static RenderedManifests render(String overlay) throws IOException {
    return new KustomizationRenderer().render(MANIFESTS.resolve("overlays").resolve(overlay));
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyObjectIsOfAKnownKindParsesAndHasNoUnknownField(String overlay) throws IOException {
    RenderedManifests rendered = render(overlay);
    Set<String> identities = new TreeSet<>();
    for (Map<String, Object> object : rendered.objects()) {
      String type = object.get("apiVersion") + "/" + object.get("kind");
      assertThat(identities.add(RenderedManifests.identity(object))).as("duplicate %s", RenderedManifests.identity(object)).isTrue();
      if (BUILT_IN.containsKey(type)) {
        HasMetadata typed = Serialization.unmarshal(Serialization.asJson(object), BUILT_IN.get(type));
        assertThat(unknownFields(typed, type)).as("fields the API server would not know").isEmpty();
      } else {
        assertThat(crds.defines((String) object.get("apiVersion"), (String) object.get("kind")) || THIRD_PARTY.contains(type))
            .as("%s: a kind the cluster knows", RenderedManifests.identity(object)).isTrue();
      }
    }
    assertThat(rendered.ofKind("CustomResourceDefinition")).hasSize(crdFiles().size());
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void ourCustomResourcesFitTheGeneratedCrds(String overlay) throws IOException {
    for (Map<String, Object> object : render(overlay).objects()) {
      if (crds.defines((String) object.get("apiVersion"), (String) object.get("kind"))) {
        assertThat(crds.validate(object)).as(RenderedManifests.identity(object)).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void rbacGrantsNoWildcard(String overlay) throws IOException {
    RenderedManifests rendered = render(overlay);
    List<PolicyRule> rules = new ArrayList<>();
    rendered.ofKind("ClusterRole").forEach(o -> rules.addAll(parse(o, ClusterRole.class).getRules()));
    rendered.ofKind("Role").forEach(o -> rules.addAll(parse(o, Role.class).getRules()));
    assertThat(rules).isNotEmpty();
    for (PolicyRule rule : rules) {
      Stream.of(rule.getVerbs(), rule.getResources(), rule.getApiGroups(), rule.getNonResourceURLs(), rule.getResourceNames())
          .flatMap(Collection::stream)
          .forEach(value -> assertThat(value).as("rule %s", rule).doesNotContain("*"));
      assertThat(rule.getVerbs()).as("rule %s", rule).isNotEmpty()
          .isSubsetOf("get", "list", "watch", "create", "update", "patch", "delete");
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyReferencedAccountRoleSecretAndConfigMapExists(String overlay) throws IOException {
    RenderedManifests rendered = render(overlay);
    for (Map<String, Object> object : rendered.objects()) {
      podSpec(object).ifPresent(pod -> {
        String namespace = KustomizationRenderer.namespace(object);
        assertThat(rendered.find("ServiceAccount", namespace, pod.getServiceAccountName()))
            .as("%s: service account %s", RenderedManifests.identity(object), pod.getServiceAccountName()).isPresent();
        for (Volume volume : pod.getVolumes()) {
          if (volume.getSecret() != null && !EXTERNAL_SECRETS.getOrDefault(overlay, Set.of()).contains(volume.getSecret().getSecretName())
              && !certManagerSecrets(rendered).contains(volume.getSecret().getSecretName())) {
            assertThat(rendered.find("Secret", namespace, volume.getSecret().getSecretName())).as("secret of volume %s", volume.getName()).isPresent();
          }
          if (volume.getConfigMap() != null) {
            assertThat(rendered.find("ConfigMap", namespace, volume.getConfigMap().getName())).as("config map of volume %s", volume.getName()).isPresent();
          }
        }
        for (Container container : pod.getContainers()) {
          for (EnvVar env : container.getEnv()) {
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
              assertThat(rendered.find("Secret", namespace, env.getValueFrom().getSecretKeyRef().getName())).as("secret of $%s", env.getName()).isPresent();
            }
          }
        }
      });
    }
    List<Subject> subjects = new ArrayList<>();
    List<io.fabric8.kubernetes.api.model.rbac.RoleRef> roleRefs = new ArrayList<>();
    rendered.ofKind("ClusterRoleBinding").stream().map(o -> parse(o, ClusterRoleBinding.class)).forEach(b -> {
      subjects.addAll(b.getSubjects());
      roleRefs.add(b.getRoleRef());
    });
    rendered.ofKind("RoleBinding").stream().map(o -> parse(o, RoleBinding.class)).forEach(b -> {
      subjects.addAll(b.getSubjects());
      roleRefs.add(b.getRoleRef());
      assertThat(b.getRoleRef().getKind().equals("ClusterRole") || rendered.find("Role", b.getMetadata().getNamespace(), b.getRoleRef().getName()).isPresent())
          .as("role %s in %s", b.getRoleRef().getName(), b.getMetadata().getNamespace()).isTrue();
    });
    for (Subject subject : subjects) {
      assertThat(subject.getKind()).isEqualTo("ServiceAccount");
      assertThat(rendered.find("ServiceAccount", subject.getNamespace(), subject.getName())).as("subject %s/%s", subject.getNamespace(), subject.getName()).isPresent();
    }
    for (var ref : roleRefs) {
      assertThat(rendered.find(ref.getKind(), null, ref.getName())).as("role %s %s", ref.getKind(), ref.getName()).isPresent();
    }
    // Everything we ship lives in our namespace, which the rendering creates.
    for (Map<String, Object> object : rendered.objects()) {
      String namespace = KustomizationRenderer.namespace(object);
      assertThat(namespace == null || namespace.equals(NAMESPACE)).as(RenderedManifests.identity(object)).isTrue();
    }
    assertThat(rendered.find("Namespace", null, NAMESPACE)).isPresent();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void servicesAndMonitorsReachNamedPortsOfOurPods(String overlay) throws IOException {
    RenderedManifests rendered = render(overlay);
    List<PodTemplateSpec> templates = rendered.objects().stream().map(DeploymentManifestsTest::template).flatMap(Optional::stream).toList();
    for (Map<String, Object> object : rendered.ofKind("Service")) {
      Service service = parse(object, Service.class);
      List<PodTemplateSpec> selected = templates.stream()
          .filter(t -> t.getMetadata().getLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet())).toList();
      assertThat(selected).as("pods of service %s", service.getMetadata().getName()).isNotEmpty();
      for (var port : service.getSpec().getPorts()) {
        String target = port.getTargetPort().getStrVal();
        assertThat(target).as("service %s port %s targets a named port", service.getMetadata().getName(), port.getName()).isNotNull();
        for (PodTemplateSpec t : selected) {
          assertThat(portNames(t.getSpec())).as("service %s", service.getMetadata().getName()).contains(target);
        }
      }
    }
    for (Map<String, Object> monitor : rendered.ofKind("ServiceMonitor")) {
      Map<?, ?> spec = (Map<?, ?>) monitor.get("spec");
      Map<?, ?> matchLabels = (Map<?, ?>) ((Map<?, ?>) spec.get("selector")).get("matchLabels");
      List<Service> services = rendered.ofKind("Service").stream().map(o -> parse(o, Service.class))
          .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(matchLabels.entrySet())).toList();
      assertThat(services).as("services of ServiceMonitor").isNotEmpty();
      for (Object endpoint : (List<?>) spec.get("endpoints")) {
        Object port = ((Map<?, ?>) endpoint).get("port");
        assertThat(services.stream().flatMap(s -> s.getSpec().getPorts().stream()).map(p -> p.getName())).contains((String) port);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void workloadsRunOurImagesWithProbesOnTheirHealthPort(String overlay) throws IOException {
    RenderedManifests rendered = render(overlay);
    Deployment controller = controller(rendered);
    DaemonSet daemon = nodeDaemon(rendered);
    assertThat(rendered.ofKind("Deployment")).hasSize(1);
    assertThat(rendered.ofKind("DaemonSet")).hasSize(1);
    checkContainer(controller.getSpec().getTemplate().getSpec(), "localhost/profileops-controller:0.1.0", "/healthz");
    checkContainer(daemon.getSpec().getTemplate().getSpec(), "localhost/profileops-node-daemon:0.1.0", "/readyz");

    Container c = controller.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).first().isEqualTo("controller");
    assertThat(c.getArgs()).contains("--leader-election-namespace=$(POD_NAMESPACE)", "--health-port=8081");
    assertThat(fieldRef(c, "POD_NAMESPACE")).contains("metadata.namespace");
    assertThat(fieldRef(c, "POD_NAME")).contains("metadata.name");
    assertThat(controller.getSpec().getReplicas()).isGreaterThan(1);
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).isEmpty();
    assertThat(controller.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(controller.getSpec().getTemplate().getSpec().getVolumes()).allMatch(v -> v.getHostPath() == null);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void nodeDaemonKnowsItsNodeAndHasOnlyThePrivilegesItNeeds(String overlay) throws IOException {
    DaemonSet daemon = nodeDaemon(render(overlay));
    PodSpec pod = daemon.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    boolean bpf = overlay.equals("bpf-recorder");
    boolean selinux = overlay.equals("selinux");
    boolean apparmor = overlay.equals("apparmor");
    assertThat(c.getArgs()).first().isEqualTo("node-daemon");
    assertThat(fieldRef(c, "NODE_NAME")).contains("spec.nodeName");
    assertThat(env(c, "KUBELET_DIR")).contains("/var/lib/kubelet");
    assertThat(env(c, "ENABLE_BPF_RECORDER")).contains(String.valueOf(bpf));
    assertThat(c.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .containsExactlyInAnyOrderElementsOf(bpf ? BPF_CAPABILITIES : apparmor ? Set.of("MAC_ADMIN") : Set.of());
    assertThat(pod.getHostPID()).isEqualTo(bpf ? Boolean.TRUE : null);
    assertThat(pod.getHostNetwork()).isNull();
    Map<String, String> hostPaths = pod.getVolumes().stream().filter(v -> v.getHostPath() != null)
        .collect(Collectors.toMap(Volume::getName, v -> v.getHostPath().getPath()));
    Map<String, String> expected = new HashMap<>(Map.of("seccomp-profiles", "/var/lib/kubelet/seccomp"));
    if (bpf) {
      expected.putAll(Map.of("tracefs", "/sys/kernel/tracing", "btf", "/sys/kernel/btf"));
    }
    // Written by the node daemon: the kubelet's seccomp directory, and the SELinux or AppArmor host paths.
    Set<String> writable = new HashSet<>(Set.of("seccomp-profiles"));
    if (selinux) {
      expected.putAll(Map.of("selinux-store", "/var/lib/selinux", "selinux-config", "/etc/selinux", "selinuxfs", "/sys/fs/selinux"));
      writable.addAll(Set.of("selinux-store", "selinux-config", "selinuxfs"));
      assertThat(c.getSecurityContext().getSeLinuxOptions().getType()).isEqualTo("spc_t");
    }
    if (apparmor) {
      expected.putAll(Map.of("apparmor-profiles", "/etc/apparmor.d", "securityfs", "/sys/kernel/security"));
      writable.addAll(Set.of("apparmor-profiles", "securityfs"));
    }
    assertThat(hostPaths).isEqualTo(expected);
    // The profiles go where the kubelet reads them: <KUBELET_DIR>/seccomp.
    assertThat(c.getVolumeMounts()).anyMatch(m -> m.getName().equals("seccomp-profiles") && m.getMountPath().equals("/var/lib/kubelet/seccomp")
        && !Boolean.TRUE.equals(m.getReadOnly()));
    c.getVolumeMounts().stream().filter(m -> !writable.contains(m.getName()) && hostPaths.containsKey(m.getName()))
        .forEach(m -> assertThat(m.getReadOnly()).as("host mount %s read-only", m.getName()).isTrue());
  }

  @Test
  void restrictedOverlayLeavesUserIdsToThePlatformAndAdmitsOnlyTheNodeDaemon() throws IOException {
    RenderedManifests rendered = render("restricted");
    Deployment controller = controller(rendered);
    var security = controller.getSpec().getTemplate().getSpec().getSecurityContext();
    assertThat(security.getRunAsUser()).isNull();
    assertThat(security.getFsGroup()).isNull();
    assertThat(security.getRunAsNonRoot()).isTrue();
    DaemonSet daemon = nodeDaemon(rendered);
    assertThat(daemon.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext().getSeLinuxOptions().getType()).isEqualTo("spc_t");
    Map<String, Object> scc = rendered.find("SecurityContextConstraints", null, "profileops-node-daemon").orElseThrow();
    assertThat(scc.get("users")).isEqualTo(List.of("system:serviceaccount:profileops:profileops-node-daemon"));
    assertThat(scc.get("allowPrivilegedContainer")).isEqualTo(false);
    assertThat(scc.get("allowedCapabilities")).isEqualTo(List.of());
  }

  @Test
  void metricsGoOverTlsToClientsTheApiServerAuthorises() throws IOException {
    RenderedManifests rendered = render("restricted");
    ClusterRole client = parse(rendered.find("ClusterRole", null, "profileops-metrics-client").orElseThrow(), ClusterRole.class);
    assertThat(client.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getNonResourceURLs()).containsExactly("/metrics");
      assertThat(rule.getVerbs()).containsExactly("get");
    });
    ClusterRole controller = parse(rendered.find("ClusterRole", null, "profileops-controller").orElseThrow(), ClusterRole.class);
    assertThat(controller.getRules()).anyMatch(r -> r.getApiGroups().equals(List.of("authentication.k8s.io"))
        && r.getResources().equals(List.of("tokenreviews")) && r.getVerbs().equals(List.of("create")));
    assertThat(controller.getRules()).anyMatch(r -> r.getApiGroups().equals(List.of("authorization.k8s.io"))
        && r.getResources().equals(List.of("subjectaccessreviews")) && r.getVerbs().equals(List.of("create")));
    Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) ((Map<?, ?>) rendered.ofKind("ServiceMonitor").get(0).get("spec")).get("endpoints")).get(0);
    assertThat(endpoint.get("scheme")).isEqualTo("https");
    assertThat(endpoint.get("bearerTokenFile")).isNotNull();
    Container c = controller(rendered)
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).noneMatch(a -> a.startsWith("--insecure-metrics"));
    // The node daemons serve the log enricher's counters the same way.
    ClusterRole nodeDaemon = parse(rendered.find("ClusterRole", null, "profileops-node-daemon").orElseThrow(), ClusterRole.class);
    assertThat(nodeDaemon.getRules()).anyMatch(r -> r.getApiGroups().equals(List.of("authentication.k8s.io"))
        && r.getResources().equals(List.of("tokenreviews")) && r.getVerbs().equals(List.of("create")));
    assertThat(nodeDaemon.getRules()).anyMatch(r -> r.getApiGroups().equals(List.of("authorization.k8s.io"))
        && r.getResources().equals(List.of("subjectaccessreviews")) && r.getVerbs().equals(List.of("create")));
    Container daemon = nodeDaemon(rendered)
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(daemon.getArgs()).contains("--metrics-port=9443").noneMatch(a -> a.startsWith("--insecure-metrics"));
    assertThat(daemon.getPorts()).anyMatch(p -> "metrics".equals(p.getName()) && p.getContainerPort() == 9443);
  }

  @Test
  void theCrdKustomizationListsEveryGeneratedCrd() throws IOException {
    Map<String, Object> kustomization = new ObjectMapper(new YAMLFactory())
        .readValue(MANIFESTS.resolve("crds/Kustomization").toFile(), new TypeReference<>() {});
    assertThat(kustomization.get("resources")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .containsExactlyInAnyOrderElementsOf(crdFiles());
  }

  @Test
  void theExamplesFitTheGeneratedCrds() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.list(MANIFESTS.resolve("examples"))) {
      examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(examples).isNotEmpty();
    for (Path example : examples) {
      try (MappingIterator<Map<String, Object>> documents = new ObjectMapper(new YAMLFactory())
          .readerFor(new TypeReference<Map<String, Object>>() {}).readValues(example.toFile())) {
        for (Map<String, Object> object : documents.readAll()) {
          assertThat(crds.validate(object)).as(example.getFileName().toString()).isEmpty();
        }
      }
    }
  }

  /** The real kustomize, where kubectl is installed: our reader must render exactly what it renders. */
  @ParameterizedTest
  @MethodSource("overlays")
  void rendersWhatKubectlKustomizeRenders(String overlay) throws Exception {
    Optional<Path> kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .filter(d -> !d.isEmpty()).map(d -> Path.of(d, "kubectl")).filter(Files::isExecutable).findFirst();
    // Not Prerequisites.require: Debian's kubectl (1.20) predates kustomize's patches field, so a
    // fresh CI machine cannot have a kubectl able to run this; the checks above run without it.
    org.junit.jupiter.api.Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not installed: cannot compare with the real kustomize");
    Path out = Files.createTempFile("kustomize-", ".yaml");
    try {
      Process process = new ProcessBuilder(kubectl.get().toString(), "kustomize", MANIFESTS.resolve("overlays").resolve(overlay).toString())
          .redirectOutput(out.toFile()).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(process.waitFor()).as("kubectl kustomize exit code").isZero();
      Map<String, Map<String, Object>> expected = new TreeMap<>();
      try (MappingIterator<Map<String, Object>> documents = new ObjectMapper(new YAMLFactory())
          .readerFor(new TypeReference<Map<String, Object>>() {}).readValues(out.toFile())) {
        documents.readAll().forEach(o -> expected.put(RenderedManifests.identity(o), o));
      }
      Map<String, Map<String, Object>> actual = new TreeMap<>();
      render(overlay).objects().forEach(o -> actual.put(RenderedManifests.identity(o), o));
      assertThat(actual.keySet()).isEqualTo(expected.keySet());
      for (String identity : expected.keySet()) {
        assertThat(actual.get(identity)).as(identity).isEqualTo(expected.get(identity));
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"with-webhooks", "with-webhooks-self-managed"})
  void theBindingWebhookMutatesOnlyPodCreationInOptedInNamespacesAndFailsOpen(String overlay) throws IOException {
    RenderedManifests rendered = render(overlay);
    checkPodCreationWebhook(rendered, webhookConfiguration(rendered, "profileops-binding"), "spo.x-k8s.io/enable-binding", "/mutate-v1-pod");
  }

  @ParameterizedTest
  @ValueSource(strings = {"with-webhooks", "with-webhooks-self-managed"})
  void theRecordingWebhookMutatesOnlyPodCreationInNamespacesOptedInToRecordingOnTheSameServer(String overlay) throws IOException {
    RenderedManifests rendered = render(overlay);
    MutatingWebhookConfiguration recording = webhookConfiguration(rendered, "profileops-recording");
    checkPodCreationWebhook(rendered, recording, "spo.x-k8s.io/enable-recording", "/mutate-v1-pod-recording");
    // One server answers both: the binding webhook's Service, port and certificate.
    var binding = webhookConfiguration(rendered, "profileops-binding").getWebhooks().get(0).getClientConfig().getService();
    var service = recording.getWebhooks().get(0).getClientConfig().getService();
    assertThat(List.of(service.getNamespace(), service.getName(), service.getPort()))
        .isEqualTo(List.of(binding.getNamespace(), binding.getName(), binding.getPort()));
    Container c = controller(rendered)
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).doesNotContain("--no-recording-webhook");
    // It reads the recordings of the pod's namespace.
    assertThat(controllerRules(rendered)).anySatisfy(r -> {
      assertThat(r.getApiGroups()).contains("security-profiles-operator.x-k8s.io");
      assertThat(r.getResources()).contains("profilerecordings");
      assertThat(r.getVerbs()).contains("list");
    });
  }

  /** Both webhooks' API server contract: pod CREATE only, opted-in namespaces, fail open, a Service port that exists. */
  private static void checkPodCreationWebhook(RenderedManifests rendered, MutatingWebhookConfiguration configuration, String optInLabel,
      String path) {
    var webhook = configuration.getWebhooks().get(0);
    assertThat(configuration.getWebhooks()).hasSize(1);
    assertThat(webhook.getFailurePolicy()).isEqualTo("Ignore");
    assertThat(webhook.getSideEffects()).isEqualTo("None");
    assertThat(webhook.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getOperations()).containsExactly("CREATE");
      assertThat(rule.getResources()).containsExactly("pods");
      assertThat(rule.getApiGroups()).containsExactly("");
    });
    assertThat(webhook.getNamespaceSelector().getMatchExpressions()).singleElement().satisfies(e -> {
      assertThat(e.getKey()).isEqualTo(optInLabel);
      assertThat(e.getOperator()).isEqualTo("Exists");
    });
    var service = webhook.getClientConfig().getService();
    assertThat(service.getPath()).isEqualTo(path);
    Service target = parse(rendered.find("Service", service.getNamespace(), service.getName()).orElseThrow(), Service.class);
    assertThat(target.getSpec().getPorts()).anyMatch(p -> p.getPort().equals(service.getPort()));
    Container c = controller(rendered)
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).contains("--binding-webhook-port=9443");
  }

  @ParameterizedTest
  @ValueSource(strings = {"profileops-binding", "profileops-recording"})
  void withCertManagerTheCaIsInjectedFromTheCertificateTheControllerMounts(String name) throws IOException {
    RenderedManifests rendered = render("with-webhooks");
    MutatingWebhookConfiguration configuration = webhookConfiguration(rendered, name);
    var service = configuration.getWebhooks().get(0).getClientConfig().getService();
    // The CA comes from the Certificate whose Secret the controller mounts.
    String inject = configuration.getMetadata().getAnnotations().get("cert-manager.io/inject-ca-from");
    Map<String, Object> certificate = rendered.find("Certificate", inject.split("/")[0], inject.split("/")[1]).orElseThrow();
    assertThat(((List<?>) ((Map<?, ?>) certificate.get("spec")).get("dnsNames")).stream().map(String::valueOf).toList()).contains(service.getName() + "." + service.getNamespace() + ".svc");
    PodSpec pod = controller(rendered).getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getArgs()).contains("--binding-webhook-port=9443")
        .noneMatch(a -> a.startsWith("--binding-webhook-self-managed-secret"));
    String secret = String.valueOf(((Map<?, ?>) certificate.get("spec")).get("secretName"));
    assertThat(pod.getVolumes()).anyMatch(v -> v.getSecret() != null && secret.equals(v.getSecret().getSecretName()));
  }

  @Test
  void selfManagedTheControllerMayUpdateOnlyItsSecretAndItsWebhookConfigurationsAndNeedsNoCertManager() throws IOException {
    RenderedManifests rendered = render("with-webhooks-self-managed");
    assertThat(rendered.objects()).noneMatch(o -> String.valueOf(o.get("apiVersion")).startsWith("cert-manager.io/"));
    MutatingWebhookConfiguration configuration = webhookConfiguration(rendered, "profileops-binding");
    MutatingWebhookConfiguration recording = webhookConfiguration(rendered, "profileops-recording");
    assertThat(configuration.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(recording.getMetadata().getAnnotations()).isNullOrEmpty();
    var service = configuration.getWebhooks().get(0).getClientConfig().getService();
    PodSpec pod = controller(rendered).getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    String secret = argument(c, "--binding-webhook-self-managed-secret");
    // The controller writes the caBundle of both configurations it serves.
    assertThat(argument(c, "--binding-webhook-configuration")).isEqualTo(configuration.getMetadata().getName());
    assertThat(argument(c, "--recording-webhook-configuration")).isEqualTo(recording.getMetadata().getName());
    assertThat(argument(c, "--binding-webhook-service")).isEqualTo(service.getName());
    assertThat(service.getNamespace()).isEqualTo(NAMESPACE);
    assertThat(rendered.find("Secret", NAMESPACE, secret)).isPresent();
    // The served pair is written by the controller: its directory is a writable emptyDir.
    String directory = argument(c, "--binding-webhook-cert-dir");
    var mount = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(directory)).findFirst().orElseThrow();
    assertThat(mount.getReadOnly()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow().getEmptyDir()).isNotNull();

    List<PolicyRule> secretRules = new ArrayList<>();
    List<PolicyRule> configurationRules = new ArrayList<>();
    rendered.ofKind("Role").forEach(o -> secretRules.addAll(parse(o, Role.class).getRules()));
    rendered.ofKind("ClusterRole").forEach(o -> configurationRules.addAll(parse(o, ClusterRole.class).getRules()));
    assertThat(secretRules.stream().filter(r -> r.getResources().contains("secrets")).toList()).singleElement().satisfies(r -> {
      assertThat(r.getResourceNames()).containsExactly(secret);
      assertThat(r.getVerbs()).contains("get", "update").doesNotContain("create", "delete", "list", "watch");
    });
    assertThat(configurationRules.stream().filter(r -> r.getResources().contains("mutatingwebhookconfigurations")).toList()).singleElement()
        .satisfies(r -> {
          assertThat(r.getResourceNames()).containsExactlyInAnyOrder(configuration.getMetadata().getName(), recording.getMetadata().getName());
          assertThat(r.getVerbs()).contains("get", "patch").doesNotContain("create", "delete", "list", "watch");
        });
  }

  /** The controller's Deployment, which every overlay has. */
  private static Deployment controller(RenderedManifests rendered) {
    return parse(rendered.find("Deployment", NAMESPACE, "profileops-controller").orElseThrow(), Deployment.class);
  }

  /** The node daemon's DaemonSet, which every overlay has. */
  private static DaemonSet nodeDaemon(RenderedManifests rendered) {
    return parse(rendered.find("DaemonSet", NAMESPACE, "profileops-node-daemon").orElseThrow(), DaemonSet.class);
  }

  private static MutatingWebhookConfiguration webhookConfiguration(RenderedManifests rendered, String name) {
    return parse(rendered.find("MutatingWebhookConfiguration", null, name).orElseThrow(() -> new AssertionError("no " + name)),
        MutatingWebhookConfiguration.class);
  }

  /** The rules of the ClusterRoles bound to the controller's service account. */
  private static List<PolicyRule> controllerRules(RenderedManifests rendered) {
    Set<String> roles = rendered.ofKind("ClusterRoleBinding").stream().map(o -> parse(o, ClusterRoleBinding.class))
        .filter(b -> b.getSubjects().stream().anyMatch(s -> "profileops-controller".equals(s.getName()) && NAMESPACE.equals(s.getNamespace())))
        .map(b -> b.getRoleRef().getName()).collect(Collectors.toSet());
    return rendered.ofKind("ClusterRole").stream().map(o -> parse(o, ClusterRole.class))
        .filter(r -> roles.contains(r.getMetadata().getName())).flatMap(r -> r.getRules().stream()).toList();
  }

  private static String argument(Container c, String option) {
    return c.getArgs().stream().filter(a -> a.startsWith(option + "=")).map(a -> a.substring(option.length() + 1)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + option + " in " + c.getArgs()));
  }

  private static Set<String> certManagerSecrets(RenderedManifests rendered) {
    return rendered.ofKind("Certificate").stream().map(c -> (String) ((Map<?, ?>) c.get("spec")).get("secretName")).collect(Collectors.toSet());
  }

  private static void checkContainer(PodSpec pod, String image, String startupPath) {
    assertThat(pod.getContainers()).hasSize(1);
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo(image);
    Set<String> ports = portNames(pod);
    for (Probe probe : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
      assertThat(probe).as("probes of %s", c.getName()).isNotNull();
      assertThat(ports).contains(probe.getHttpGet().getPort().getStrVal());
    }
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo(startupPath);
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getResources().getLimits()).containsKey("memory");
  }

  private static Set<String> portNames(PodSpec pod) {
    return pod.getContainers().stream().flatMap(c -> c.getPorts().stream()).map(ContainerPort::getName).collect(Collectors.toSet());
  }

  private static Optional<String> fieldRef(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name) && e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null)
        .map(e -> e.getValueFrom().getFieldRef().getFieldPath()).findFirst();
  }

  private static Optional<String> env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst();
  }

  private static Optional<PodTemplateSpec> template(Map<String, Object> object) {
    return switch ((String) object.get("kind")) {
      case "Deployment" -> Optional.of(parse(object, Deployment.class).getSpec().getTemplate());
      case "DaemonSet" -> Optional.of(parse(object, DaemonSet.class).getSpec().getTemplate());
      default -> Optional.empty();
    };
  }

  private static Optional<PodSpec> podSpec(Map<String, Object> object) {
    return template(object).map(PodTemplateSpec::getSpec);
  }

  static <T extends HasMetadata> T parse(Map<String, Object> object, Class<T> type) {
    return Serialization.unmarshal(Serialization.asJson(object), type);
  }

  static List<String> crdFiles() throws IOException {
    try (Stream<Path> files = Files.list(MANIFESTS.resolve("crds"))) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yml")).sorted().toList();
    }
  }

  /**
   * Fields fabric8 kept aside because its model has no such field: what the API server would reject or
   * drop (a misspelt {@code readinesProbe}, say).
   */
  static List<String> unknownFields(Object typed, String path) {
    List<String> unknown = new ArrayList<>();
    collectUnknown(typed, path, unknown, new IdentityHashMap<>());
    return unknown;
  }

  private static void collectUnknown(Object node, String path, List<String> unknown, IdentityHashMap<Object, Boolean> seen) {
    if (node == null || seen.put(node, true) != null) {
      return;
    }
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        collectUnknown(item, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collectUnknown(v, path + "." + k, unknown, seen));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties") && value instanceof Map<?, ?> extra) {
        extra.keySet().forEach(k -> unknown.add(path + "." + k));
      } else if (!(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)) {
        collectUnknown(value, path + "." + getter.getName().substring(3), unknown, seen);
      }
    }
  }
}
