package dev.profileops.nodedaemon.config;

import dev.profileops.api.daemon.SecurityProfilesOperatorDaemon;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The daemon config singleton, SPO's {@code SecurityProfilesOperatorDaemon} named
 * {@value SecurityProfilesOperatorDaemon#SINGLETON_NAME}.
 */
public final class DaemonConfigs {
  private DaemonConfigs() {}

  /** The seccomp policy of the config in that namespace; unrestricted when there is none. */
  public static SeccompPolicy seccompPolicy(KubernetesClient client, String namespace) {
    return SeccompPolicy.of(client.resources(SecurityProfilesOperatorDaemon.class).inNamespace(namespace)
        .withName(SecurityProfilesOperatorDaemon.SINGLETON_NAME).get());
  }
}
