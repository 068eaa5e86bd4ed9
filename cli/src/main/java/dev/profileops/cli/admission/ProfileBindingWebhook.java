package dev.profileops.cli.admission;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.profileops.api.apparmor.AppArmorProfile;
import dev.profileops.api.binding.ProfileBinding;
import dev.profileops.api.common.ProfileKind;
import dev.profileops.api.common.ProfileSpec;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.selinux.SelinuxProfile;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mutating admission webhook of ProfileBindings, {@code POST /mutate-v1-pod} with an AdmissionReview
 * (admission.k8s.io/v1). Only pod CREATE is mutated: an UPDATE, or anything else, is allowed as it is.
 * It fails open: whatever goes wrong, the pod is allowed unchanged with a warning (and the
 * MutatingWebhookConfiguration says {@code failurePolicy: Ignore} for when it cannot be reached).
 */
public final class ProfileBindingWebhook implements AutoCloseable {
  public static final String PATH = "/mutate-v1-pod";
  private static final Logger LOG = LoggerFactory.getLogger(ProfileBindingWebhook.class);
  /** An AdmissionReview of a pod is a few kB; this bounds what one request may make us read. */
  private static final int MAX_BODY = 3 * 1024 * 1024;

  private final HttpsServer server;

  private ProfileBindingWebhook(HttpsServer server) {
    this.server = server;
  }

  public static ProfileBindingWebhook start(InetSocketAddress address, SSLContext tls, KubernetesClient client) throws IOException {
    ProfileBindingMutator mutator = new ProfileBindingMutator((kind, name) -> enabled(client, kind, name));
    HttpsServer server = HttpsServer.create(address, 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(PATH, exchange -> handle(exchange, review -> review(review, mutator,
        namespace -> client.resources(ProfileBinding.class).inNamespace(namespace).list().getItems())));
    server.start();
    return new ProfileBindingWebhook(server);
  }

  /** With PEM files that cert-manager renews: read again when they change. */
  public static ProfileBindingWebhook start(InetSocketAddress address, java.nio.file.Path certificate, java.nio.file.Path key,
      KubernetesClient client) throws IOException, java.security.GeneralSecurityException {
    return start(address, ReloadingPemKeyManager.context(certificate, key), client);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The bindings of a namespace. */
  interface Bindings {
    List<ProfileBinding> in(String namespace);
  }

  /** The response to one AdmissionReview; never throws. */
  static AdmissionReview review(AdmissionReview review, ProfileBindingMutator mutator, Bindings bindings) {
    AdmissionRequest request = review.getRequest();
    String uid = request == null ? null : request.getUid();
    AdmissionResponseBuilder response = new AdmissionResponseBuilder().withUid(uid).withAllowed(true);
    try {
      if (request != null && "CREATE".equals(request.getOperation()) && request.getKind() != null
          && "Pod".equals(request.getKind().getKind()) && request.getObject() != null) {
        Pod pod = request.getObject() instanceof Pod p ? p
            : Serialization.unmarshal(Serialization.asJson(request.getObject()), Pod.class);
        String namespace = request.getNamespace() != null ? request.getNamespace() : pod.getMetadata().getNamespace();
        ProfileBindingMutator.Mutation mutation = mutator.mutate(pod, bindings.in(namespace));
        if (mutation.changes()) {
          response.withPatchType("JSONPatch")
              .withPatch(Base64.getEncoder().encodeToString(Serialization.asJson(mutation.patch()).getBytes(StandardCharsets.UTF_8)));
        }
        if (!mutation.warnings().isEmpty()) {
          response.withWarnings(mutation.warnings());
        }
      }
    } catch (RuntimeException e) {
      // Fail open: a pod is never refused because the bindings could not be applied.
      LOG.warn("ProfileBinding webhook: request {} allowed unchanged: {}", uid, e.toString());
      response.withWarnings(List.of("ProfileBindings not applied: " + e.getMessage()));
    }
    return new AdmissionReviewBuilder().withApiVersion("admission.k8s.io/v1").withKind("AdmissionReview")
        .withResponse(response.build()).build();
  }

  private interface Reviewer {
    AdmissionReview review(AdmissionReview request);
  }

  private static void handle(HttpExchange exchange, Reviewer reviewer) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      AdmissionReview request;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
          exchange.sendResponseHeaders(413, -1);
          return;
        }
        request = Serialization.unmarshal(new String(body, StandardCharsets.UTF_8), AdmissionReview.class);
      } catch (RuntimeException e) {
        byte[] text = ("not an AdmissionReview: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(400, text.length);
        exchange.getResponseBody().write(text);
        return;
      }
      byte[] body = Serialization.asJson(reviewer.review(request)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private static boolean enabled(KubernetesClient client, ProfileKind kind, String name) {
    Class<? extends CustomResource<? extends ProfileSpec, ?>> type = switch (kind) {
      case SeccompProfile -> SeccompProfile.class;
      case SelinuxProfile -> SelinuxProfile.class;
      case AppArmorProfile -> AppArmorProfile.class;
    };
    CustomResource<? extends ProfileSpec, ?> profile = client.resources(type).withName(name).get();
    return profile != null && (profile.getSpec() == null || profile.getSpec().enabled());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
