package dev.profileops.cli.admission;

import dev.profileops.api.apparmor.AppArmorProfile;
import dev.profileops.api.binding.ProfileBinding;
import dev.profileops.api.common.ProfileKind;
import dev.profileops.api.common.ProfileSpec;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.selinux.SelinuxProfile;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The mutating admission webhook of ProfileBindings, {@code POST /mutate-v1-pod} with an AdmissionReview
 * on {@link AdmissionWebhookServer}: {@link ProfileBindingMutator} with the bindings of the pod's
 * namespace, read from the API server for each pod created.
 */
public final class ProfileBindingWebhook {
  public static final String PATH = "/mutate-v1-pod";
  static final String WHAT = "ProfileBindings";

  private ProfileBindingWebhook() {}

  public static PodWebhook of(KubernetesClient client) {
    ProfileBindingMutator mutator = new ProfileBindingMutator((kind, name) -> enabled(client, kind, name));
    PodMutator.InNamespace<ProfileBinding> bindings =
        namespace -> client.resources(ProfileBinding.class).inNamespace(namespace).list().getItems();
    return new PodWebhook(PATH, WHAT, PodMutator.listing(bindings, mutator::mutate));
  }

  /** The response to one AdmissionReview; never throws. */
  static AdmissionReview review(AdmissionReview review, ProfileBindingMutator mutator, PodMutator.InNamespace<ProfileBinding> bindings) {
    return PodAdmission.review(review, WHAT, PodMutator.listing(bindings, mutator::mutate));
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
}
