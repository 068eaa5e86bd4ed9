package dev.profileops.nodedaemon;

import dev.profileops.host.apparmor.AppArmorParsers;
import dev.profileops.host.selinux.PolicyStores;
import dev.profileops.nodedaemon.apparmor.AppArmorProfileInstaller;
import dev.profileops.nodedaemon.selinux.SelinuxPolicyInstaller;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/**
 * The SELinux and AppArmor halves of the node stack and the gates that switch them. A null installer
 * means the daemon does not watch that kind at all (seccomp-only daemons, older tests).
 */
public record SecurityModules(SelinuxPolicyInstaller selinux, AppArmorProfileInstaller appArmor, FeatureGates gates) {
  /** Where this daemon writes its AppArmor profiles, beside the distribution's own. */
  public static final Path APPARMOR_DIR = Path.of("/etc/apparmor.d/profileops");

  public static SecurityModules none() {
    return new SecurityModules(null, null, FeatureGates.fixed(false, false));
  }

  /** The host's policy store (root {@code /}, store {@code default}), apparmor_parser, and the spod's gates. */
  public static SecurityModules system(KubernetesClient client) {
    return new SecurityModules(
        new SelinuxPolicyInstaller(PolicyStores.system(Path.of("/"), "default")),
        new AppArmorProfileInstaller(APPARMOR_DIR, AppArmorParsers.system(Path.of("/etc/apparmor.d"))),
        FeatureGates.fromCluster(client));
  }
}
