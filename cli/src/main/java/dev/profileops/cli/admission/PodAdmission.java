package dev.profileops.cli.admission;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AdmissionReview (admission.k8s.io/v1) handling every pod webhook shares. Only pod CREATE is
 * mutated: an UPDATE, or anything else, is allowed as it is. It fails open: whatever the mutator
 * throws, the pod is allowed unchanged with a warning (and the MutatingWebhookConfigurations say
 * {@code failurePolicy: Ignore} for when the webhook cannot be reached).
 */
public final class PodAdmission {
  private static final Logger LOG = LoggerFactory.getLogger(PodAdmission.class);

  private PodAdmission() {}

  /**
   * The response to one AdmissionReview; never throws.
   *
   * @param what what the webhook applies, for the fail-open warning ("ProfileBindings")
   */
  public static AdmissionReview review(AdmissionReview review, String what, PodMutator mutator) {
    AdmissionRequest request = review.getRequest();
    String uid = request == null ? null : request.getUid();
    AdmissionResponseBuilder response = new AdmissionResponseBuilder().withUid(uid).withAllowed(true);
    try {
      if (request != null && "CREATE".equals(request.getOperation()) && request.getKind() != null
          && "Pod".equals(request.getKind().getKind()) && request.getObject() != null) {
        Pod pod = request.getObject() instanceof Pod p ? p
            : Serialization.unmarshal(Serialization.asJson(request.getObject()), Pod.class);
        String namespace = request.getNamespace() != null ? request.getNamespace() : pod.getMetadata().getNamespace();
        PodMutation mutation = mutator.mutate(pod, namespace);
        if (mutation.changes()) {
          response.withPatchType("JSONPatch")
              .withPatch(Base64.getEncoder().encodeToString(Serialization.asJson(mutation.patch()).getBytes(StandardCharsets.UTF_8)));
        }
        if (!mutation.warnings().isEmpty()) {
          response.withWarnings(mutation.warnings());
        }
      }
    } catch (RuntimeException e) {
      // Fail open: a pod is never refused because a webhook could not do its part.
      LOG.warn("{} webhook: request {} allowed unchanged: {}", what, uid, e.toString());
      response.withWarnings(List.of(what + " not applied: " + e.getMessage()));
    }
    return new AdmissionReviewBuilder().withApiVersion("admission.k8s.io/v1").withKind("AdmissionReview")
        .withResponse(response.build()).build();
  }
}
