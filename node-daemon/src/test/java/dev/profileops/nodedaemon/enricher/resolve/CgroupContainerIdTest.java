package dev.profileops.nodedaemon.enricher.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupContainerIdTest {
  private static final String ID = "3f2a9c1b8e7d6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a";

  @Test
  void findsTheIdOfEveryRuntimeOnCgroupV2() {
    assertThat(CgroupContainerId.find(List.of("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/cri-containerd-" + ID + ".scope")))
        .contains(ID);
    assertThat(CgroupContainerId.find(List.of("0::/kubepods.slice/kubepods-pod1234.slice/crio-" + ID + ".scope"))).contains(ID);
    assertThat(CgroupContainerId.find(List.of("0::/system.slice/docker-" + ID + ".scope"))).contains(ID);
    assertThat(CgroupContainerId.find(List.of("0::/kubepods/besteffort/pod8d1f/" + ID))).contains(ID);
    assertThat(CgroupContainerId.find(List.of("0::/kubepods.slice/kubepods-pod1.slice/crio-" + ID + ".scope/container"))).as("nested").contains(ID);
  }

  @Test
  void findsTheIdOnCgroupV1AndIgnoresConmon() {
    assertThat(CgroupContainerId.find(List.of("12:pids:/docker/" + ID, "1:name=systemd:/docker/" + ID, "0::/"))).contains(ID);
    assertThat(CgroupContainerId.find(List.of("4:memory:/kubepods/burstable/pod1/" + ID, "0::/"))).contains(ID);
    assertThat(CgroupContainerId.find(List.of("0::/kubepods.slice/kubepods-pod1.slice/crio-conmon-" + ID + ".scope"))).isEmpty();
  }

  @Test
  void takesPlainRuncNamesButNotHostProcesses() {
    assertThat(CgroupContainerId.find(List.of("0::/recorded-5b1f00a7c2e3"))).contains("recorded-5b1f00a7c2e3");
    assertThat(CgroupContainerId.find(List.of("0::/user.slice/user-0.slice/session-4.scope"))).isEmpty();
    assertThat(CgroupContainerId.find(List.of("0::/init.scope"))).isEmpty();
    assertThat(CgroupContainerId.find(List.of("0::/"))).isEmpty();
    assertThat(CgroupContainerId.find(List.of("0::/system.slice/sshd.service"))).isEmpty();
    assertThat(CgroupContainerId.find(List.of("garbage", ""))).isEmpty();
    assertThat(CgroupContainerId.find(List.of("0::/x/" + ID.substring(1) + "g"))).isEmpty();
  }
}
