package dev.profileops.nodedaemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.profileops.api.seccomp.ArgOperator;
import dev.profileops.api.seccomp.SeccompAction;
import dev.profileops.api.seccomp.SeccompArch;
import dev.profileops.api.seccomp.SeccompFlag;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.api.seccomp.SyscallArg;
import dev.profileops.api.seccomp.SyscallRule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OciSeccompJsonTest {

  @Test
  void rendersTheRuntimeSpecShape() {
    String json = new String(OciSeccompJson.render(smallSpec()), StandardCharsets.UTF_8);

    assertThat(json).isEqualTo("""
        {
          "defaultAction": "SCMP_ACT_ERRNO",
          "defaultErrnoRet": 1,
          "architectures": [
            "SCMP_ARCH_X86_64",
            "SCMP_ARCH_AARCH64"
          ],
          "flags": [
            "SECCOMP_FILTER_FLAG_LOG"
          ],
          "syscalls": [
            {
              "names": [
                "read",
                "write"
              ],
              "action": "SCMP_ACT_ALLOW"
            },
            {
              "names": [
                "personality"
              ],
              "action": "SCMP_ACT_ALLOW",
              "args": [
                {
                  "index": 0,
                  "value": 18446744073709551615,
                  "valueTwo": 0,
                  "op": "SCMP_CMP_EQ"
                }
              ]
            },
            {
              "names": [
                "mkdir"
              ],
              "action": "SCMP_ACT_ERRNO",
              "errnoRet": 13
            }
          ]
        }
        """);
  }

  @Test
  void equalSpecsGiveEqualBytes() {
    assertThat(OciSeccompJson.render(smallSpec())).isEqualTo(OciSeccompJson.render(smallSpec()));
  }

  @Test
  void passesListenerFieldsThrough() {
    SeccompProfileSpec spec = new SeccompProfileSpec();
    spec.setDefaultAction(SeccompAction.SCMP_ACT_NOTIFY);
    spec.setListenerPath("/run/seccomp-agent.sock");
    spec.setListenerMetadata("profile=x");

    assertThat(new String(OciSeccompJson.render(spec), StandardCharsets.UTF_8)).isEqualTo("""
        {
          "defaultAction": "SCMP_ACT_NOTIFY",
          "listenerPath": "/run/seccomp-agent.sock",
          "listenerMetadata": "profile=x"
        }
        """);
  }

  @Test
  void refusesUnresolvedSpecs() {
    SeccompProfileSpec spec = smallSpec();
    spec.setBaseProfileName("runc-v1.0.0");

    assertThatThrownBy(() -> OciSeccompJson.render(spec)).hasMessageContaining("runc-v1.0.0");
  }

  private static SeccompProfileSpec smallSpec() {
    SeccompProfileSpec spec = new SeccompProfileSpec();
    spec.setDefaultAction(SeccompAction.SCMP_ACT_ERRNO);
    spec.setDefaultErrnoRet(1L);
    // NATIVE is dropped: runc has no such architecture.
    spec.setArchitectures(List.of(SeccompArch.SCMP_ARCH_NATIVE, SeccompArch.SCMP_ARCH_X86_64, SeccompArch.SCMP_ARCH_AARCH64));
    spec.setFlags(List.of(SeccompFlag.SECCOMP_FILTER_FLAG_LOG));
    SyscallRule personality = new SyscallRule(List.of("personality"), SeccompAction.SCMP_ACT_ALLOW);
    SyscallArg arg = new SyscallArg();
    arg.setIndex(0);
    arg.setValue(-1L); // 0xffffffffffffffff: runc reads uint64
    arg.setOp(ArgOperator.SCMP_CMP_EQ);
    personality.setArgs(List.of(arg));
    SyscallRule mkdir = new SyscallRule(List.of("mkdir"), SeccompAction.SCMP_ACT_ERRNO);
    mkdir.setErrnoRet(13L);
    spec.setSyscalls(List.of(new SyscallRule(List.of("read", "write"), SeccompAction.SCMP_ACT_ALLOW), personality, mkdir));
    return spec;
  }
}
