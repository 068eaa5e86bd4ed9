package dev.profileops.syncer.source;

import dev.profileops.api.apparmor.AppArmorProfile;
import dev.profileops.api.binding.ProfileBinding;
import dev.profileops.api.daemon.SecurityProfilesOperatorDaemon;
import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import dev.profileops.api.recording.ProfileRecording;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.selinux.RawSelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfile;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The SPO kinds a profile repository may hold, and the older versions we still read. */
public final class ProfileKinds {

  /** A kind we read: its class and the versions accepted besides v1. */
  public record KindInfo(String kind, Class<? extends CustomResource<?, ?>> type, Set<String> legacyVersions) {
    public boolean namespaced() {
      return Namespaced.class.isAssignableFrom(type);
    }
  }

  /** In apply order: profiles before the objects that refer to them. */
  private static final Map<String, KindInfo> KINDS = new LinkedHashMap<>();

  static {
    register(SeccompProfile.KIND, SeccompProfile.class, "v1beta1", "v1alpha1");
    register(SelinuxProfile.KIND, SelinuxProfile.class, "v1alpha2", "v1alpha1");
    register(RawSelinuxProfile.KIND, RawSelinuxProfile.class, "v1alpha2");
    register(AppArmorProfile.KIND, AppArmorProfile.class, "v1alpha1");
    register(ProfileBinding.KIND, ProfileBinding.class, "v1alpha1");
    register(ProfileRecording.KIND, ProfileRecording.class, "v1alpha1");
    register(SecurityProfilesOperatorDaemon.KIND, SecurityProfilesOperatorDaemon.class, "v1alpha1");
    register(SecurityProfileNodeStatus.KIND, SecurityProfileNodeStatus.class, "v1alpha1");
  }

  private static void register(String kind, Class<? extends CustomResource<?, ?>> type, String... legacy) {
    KINDS.put(kind, new KindInfo(kind, type, Set.of(legacy)));
  }

  private ProfileKinds() {}

  public static Optional<KindInfo> find(String kind) {
    return Optional.ofNullable(KINDS.get(kind));
  }

  public static List<KindInfo> all() {
    return List.copyOf(KINDS.values());
  }

  /** Position in apply order, for sorting rendered output. */
  public static int order(String kind) {
    return List.copyOf(KINDS.keySet()).indexOf(kind);
  }
}
