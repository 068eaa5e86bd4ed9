package dev.profileops.nodedaemon;

import dev.profileops.api.daemon.DaemonSpec;
import dev.profileops.api.daemon.SecurityProfilesOperatorDaemon;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;

/**
 * The daemon config's feature gates ({@code spod}: {@code enableAppArmor}, {@code selinux.enable}).
 * Off, as in SPO when the config does not say otherwise, means the kind is refused with a status that
 * says so, not silently ignored.
 */
public interface FeatureGates extends AutoCloseable {
  boolean selinuxEnabled();

  boolean appArmorEnabled();

  /** Where to turn a gate on, for status messages. */
  default String howToEnable(String field) {
    return "set spec." + field + ": true in the SecurityProfilesOperatorDaemon " + SecurityProfilesOperatorDaemon.SINGLETON_NAME;
  }

  @Override
  default void close() {}

  static FeatureGates fixed(boolean selinux, boolean appArmor) {
    return new FeatureGates() {
      @Override
      public boolean selinuxEnabled() {
        return selinux;
      }

      @Override
      public boolean appArmorEnabled() {
        return appArmor;
      }
    };
  }

  /**
   * The gates of the {@code spod} object, kept current by an informer: in the daemon's own namespace
   * (the client's, the service account's in a cluster), the one whose seccomp policy the daemon
   * follows too; in any namespace only where the client has none (a kubeconfig without one).
   */
  static FeatureGates fromCluster(KubernetesClient client) {
    var daemons = client.resources(SecurityProfilesOperatorDaemon.class);
    SharedIndexInformer<SecurityProfilesOperatorDaemon> informer = client.getNamespace() != null
        ? daemons.inNamespace(client.getNamespace()).inform()
        : daemons.inAnyNamespace().inform();
    return new FeatureGates() {
      private DaemonSpec spec() {
        return informer.getStore().list().stream()
            .filter(d -> SecurityProfilesOperatorDaemon.SINGLETON_NAME.equals(d.getMetadata().getName()))
            .map(SecurityProfilesOperatorDaemon::getSpec)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
      }

      @Override
      public boolean selinuxEnabled() {
        DaemonSpec spec = spec();
        return spec != null && spec.getSelinux() != null && Boolean.TRUE.equals(spec.getSelinux().getEnable());
      }

      @Override
      public boolean appArmorEnabled() {
        DaemonSpec spec = spec();
        return spec != null && Boolean.TRUE.equals(spec.getEnableAppArmor());
      }

      @Override
      public void close() {
        informer.close();
      }
    };
  }
}
