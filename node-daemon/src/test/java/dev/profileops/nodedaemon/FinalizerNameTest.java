package dev.profileops.nodedaemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FinalizerNameTest {

  @Test
  void putsTheNodeIntoTheDomainSoDottedNodeNamesWork() {
    assertThat(NodeDaemon.finalizerFor("node-a")).isEqualTo("node-a.node.profileops.dev/deleted");
    assertThat(NodeDaemon.finalizerFor("ip-10-0-0-7.ec2.internal"))
        .isEqualTo("ip-10-0-0-7.ec2.internal.node.profileops.dev/deleted");
    // Why not SPO's shape under our domain: the part after '/' may not hold dots.
    assertThat(HasMetadata.validateFinalizer("profileops.dev/ip-10-0-0-7.ec2.internal-deleted")).isFalse();
  }

  @Test
  void refusesNodeNamesThatCannotFormAFinalizer() {
    assertThatThrownBy(() -> NodeDaemon.finalizerFor("n".repeat(63) + "." + "n".repeat(63) + "." + "n".repeat(63) + "." + "n".repeat(50)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsTheKubeletDirFromTheEnvironment() {
    assertThat(NodeDaemon.kubeletDir(Map.of())).isEqualTo(Path.of("/var/lib/kubelet"));
    assertThat(NodeDaemon.kubeletDir(Map.of("KUBELET_DIR", "/var/lib/k0s/kubelet"))).isEqualTo(Path.of("/var/lib/k0s/kubelet"));
  }
}
