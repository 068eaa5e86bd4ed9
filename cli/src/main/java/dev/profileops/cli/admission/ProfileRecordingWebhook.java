package dev.profileops.cli.admission;

import dev.profileops.api.recording.ProfileRecording;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * The mutating admission webhook of ProfileRecordings, SPO's {@code POST /mutate-v1-pod-recording} with
 * an AdmissionReview on {@link AdmissionWebhookServer}: {@link ProfileRecordingMutator} with the
 * recordings of the pod's namespace, read from the API server for each pod created. Which namespaces
 * it sees is the MutatingWebhookConfiguration's business (label {@code spo.x-k8s.io/enable-recording},
 * the label the node daemon records by as well).
 */
public final class ProfileRecordingWebhook {
  public static final String PATH = "/mutate-v1-pod-recording";
  static final String WHAT = "ProfileRecordings";

  private ProfileRecordingWebhook() {}

  public static PodWebhook of(KubernetesClient client) {
    PodMutator.InNamespace<ProfileRecording> recordings =
        namespace -> client.resources(ProfileRecording.class).inNamespace(namespace).list().getItems();
    ProfileRecordingMutator mutator = ProfileRecordingMutator.withRandomNonces(Clock.systemUTC());
    return new PodWebhook(PATH, WHAT, PodMutator.listing(recordings, mutator::mutate));
  }

  /** The response to one AdmissionReview; never throws. */
  static AdmissionReview review(AdmissionReview review, ProfileRecordingMutator mutator, PodMutator.InNamespace<ProfileRecording> recordings) {
    return PodAdmission.review(review, WHAT, PodMutator.listing(recordings, mutator::mutate));
  }
}
