package dev.profileops.api.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaseProfileResolverTest {

  private static SeccompProfileSpec spec(String base, SeccompAction defaultAction, SyscallRule... rules) {
    SeccompProfileSpec s = new SeccompProfileSpec();
    s.setBaseProfileName(base);
    s.setDefaultAction(defaultAction);
    s.setSyscalls(List.of(rules));
    return s;
  }

  private static SyscallRule rule(SeccompAction action, String... names) {
    return new SyscallRule(List.of(names), action);
  }

  @Test
  void mergesTheChainWithTheLessRestrictiveActionWinning() {
    Map<String, SeccompProfileSpec> specs = new HashMap<>();
    specs.put("base", spec(null, SeccompAction.SCMP_ACT_ERRNO,
        rule(SeccompAction.SCMP_ACT_ALLOW, "read", "write"), rule(SeccompAction.SCMP_ACT_ERRNO, "mkdir")));
    specs.put("child", spec("base", SeccompAction.SCMP_ACT_LOG,
        rule(SeccompAction.SCMP_ACT_ALLOW, "mkdir"), rule(SeccompAction.SCMP_ACT_KILL_PROCESS, "read")));

    BaseProfileResolver.Result result = BaseProfileResolver.over(specs).resolve("child", specs.get("child"));

    assertThat(result.ok()).isTrue();
    assertThat(result.spec().getDefaultAction()).isEqualTo(SeccompAction.SCMP_ACT_LOG);
    assertThat(result.spec().getSyscalls()).singleElement().satisfies(r -> {
      assertThat(r.getAction()).isEqualTo(SeccompAction.SCMP_ACT_ALLOW);
      assertThat(r.getNames()).containsExactly("mkdir", "read", "write");
    });
    assertThat(result.spec().getBaseProfileName()).isNull();
  }

  @Test
  void reportsMissingBase() {
    Map<String, SeccompProfileSpec> specs = Map.of("a", spec("nope", SeccompAction.SCMP_ACT_ERRNO));
    assertThat(BaseProfileResolver.over(specs).resolve("a", specs.get("a")).error())
        .isEqualTo("base profile nope does not exist");
  }

  @Test
  void reportsCycles() {
    Map<String, SeccompProfileSpec> specs = Map.of(
        "a", spec("b", SeccompAction.SCMP_ACT_ERRNO), "b", spec("a", SeccompAction.SCMP_ACT_ERRNO));
    assertThat(BaseProfileResolver.over(specs).resolve("a", specs.get("a")).error())
        .isEqualTo("base profiles form a cycle: a -> b -> a");
  }

  @Test
  void allowsFifteenLevelsAndRefusesSixteen() {
    Map<String, SeccompProfileSpec> specs = new HashMap<>();
    specs.put("p0", spec(null, SeccompAction.SCMP_ACT_ERRNO, rule(SeccompAction.SCMP_ACT_ALLOW, "read")));
    for (int i = 1; i <= 16; i++) {
      specs.put("p" + i, spec("p" + (i - 1), SeccompAction.SCMP_ACT_ERRNO));
    }
    BaseProfileResolver resolver = BaseProfileResolver.over(specs);
    assertThat(resolver.resolve("p15", specs.get("p15")).ok()).isTrue();
    assertThat(resolver.resolve("p16", specs.get("p16")).error()).startsWith("base profile chain is deeper than 15 levels");
  }
}
