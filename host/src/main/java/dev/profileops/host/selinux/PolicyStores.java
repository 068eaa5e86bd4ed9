package dev.profileops.host.selinux;

import dev.profileops.host.process.ToolRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Picks the semodule store, or the unsupported one with the reason it cannot be used. */
public final class PolicyStores {
  private PolicyStores() {}

  /**
   * The store under {@code root} (policy root; {@code /} on a node): semodule must be installed and
   * {@code <root>/var/lib/selinux/<store>} must exist. The kernel policy is reloaded after changes
   * only when the root is {@code /} and this kernel runs SELinux.
   */
  public static PolicyStore system(Path root, String store) {
    Optional<Path> semodule = ToolRun.find("semodule");
    if (semodule.isEmpty()) {
      return new UnsupportedPolicyStore("semodule is not installed (Debian: apt-get install semodule-utils policycoreutils)");
    }
    Path storeDir = root.resolve("var/lib/selinux").resolve(store);
    if (!Files.isDirectory(storeDir)) {
      return new UnsupportedPolicyStore("no SELinux policy store at " + storeDir
          + " (Debian: apt-get install selinux-policy-default)");
    }
    boolean liveRoot = root.toAbsolutePath().normalize().equals(Path.of("/"));
    boolean kernelHasSelinux = Files.exists(Path.of("/sys/fs/selinux/enforce"));
    return new SemodulePolicyStore(semodule.get(), root, store, SemodulePolicyStore.DEFAULT_PRIORITY,
        liveRoot && kernelHasSelinux);
  }
}
