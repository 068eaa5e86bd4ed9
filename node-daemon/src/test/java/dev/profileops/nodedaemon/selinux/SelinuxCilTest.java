package dev.profileops.nodedaemon.selinux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.profileops.api.selinux.PolicyRef;
import dev.profileops.api.selinux.RawCilCheck;
import dev.profileops.api.selinux.RawSelinuxProfile;
import dev.profileops.api.selinux.SelinuxMode;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfileSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelinuxCilTest {
  static final Path TEMPLATE = Path.of("../repo-template");

  static SelinuxProfile example(String file) throws IOException {
    return Serialization.unmarshal(Files.readString(TEMPLATE.resolve(file)), SelinuxProfile.class);
  }

  static RawSelinuxProfile rawExample(String file) throws IOException {
    return Serialization.unmarshal(Files.readString(TEMPLATE.resolve(file)), RawSelinuxProfile.class);
  }

  private static final SelinuxCil NO_PARENTS = new SelinuxCil(name -> null);

  @Test
  void translatesTheTemplateProfileWithSortedUniqueRulesAndSelf() throws IOException {
    SelinuxProfile profile = example("selinux/web-server-selinux.yaml");

    assertThat(NO_PARENTS.translate("web-server-selinux", profile.getSpec())).isEqualTo("""
        (block web-server-selinux
            (blockinherit container)
            (allow process http_port_t (tcp_socket (name_bind)))
            (allow process var_log_t (dir (getattr open search)))
            (allow process var_log_t (file (append getattr open)))
            (allow process web-server-selinux.process (tcp_socket (accept bind create listen read write)))
        )
        """);
  }

  @Test
  void wrapsTheTemplateRawProfileInItsOwnBlock() throws IOException {
    RawSelinuxProfile raw = rawExample("selinux/log-reader.yaml");

    assertThat(RawCilCheck.check(raw.getSpec().getPolicy())).isEmpty();
    assertThat(RawCilCheck.wrap("log-reader", raw.getSpec().getPolicy())).isEqualTo("""
        (block log-reader
            (blockinherit container)
            (allow process var_log_t (dir (getattr open read search)))
            (allow process var_log_t (file (getattr open read)))
        )
        """);
  }

  @Test
  void permissiveDefaultInheritAndDuplicatePermissionsCollapse() {
    SelinuxProfileSpec spec = new SelinuxProfileSpec();
    spec.setMode(SelinuxMode.Permissive);
    spec.setAllow(Map.of("var_run_t", Map.of("file", List.of("write", "read", "read"))));

    assertThat(NO_PARENTS.translate("recorder", spec)).isEqualTo("""
        (block recorder
            (blockinherit container)
            (typepermissive process)
            (allow process var_run_t (file (read write)))
        )
        """);
  }

  @Test
  void aParentProfileThatBringsContainerIsNotDoubled() {
    SelinuxProfileSpec parent = new SelinuxProfileSpec();
    parent.setAllow(Map.of("var_log_t", Map.of("file", List.of("read"))));
    SelinuxProfileSpec child = new SelinuxProfileSpec();
    child.setInherit(new ArrayList<>(List.of(new PolicyRef("SelinuxProfile", "base"), new PolicyRef("System", "container"))));
    SelinuxCil cil = new SelinuxCil(name -> name.equals("base") ? parent : null);

    assertThat(cil.translate("child", child)).isEqualTo("""
        (block child
            (blockinherit base)
        )
        """);
    assertThat(SelinuxCil.parentProfiles(child)).containsExactly("base");
  }

  @Test
  void refusesTheDenyListUnknownParentsCyclesAndSystemPoliciesOffTheAllowList() {
    assertThatThrownBy(() -> NO_PARENTS.translate("x", allow("shadow_t", "file", "read")))
        .hasMessageContaining("shadow_t is not allowed");
    assertThatThrownBy(() -> NO_PARENTS.translate("x", allow("var_t", "security", "read")))
        .hasMessageContaining("object class security is not allowed");
    assertThatThrownBy(() -> NO_PARENTS.translate("x", allow("var_t", "file", "relabelto")))
        .hasMessageContaining("permission relabelto is not allowed");
    assertThatThrownBy(() -> NO_PARENTS.translate("x", allow("var_t) (allow", "file", "read")))
        .hasMessageContaining("is not a type name");

    SelinuxProfileSpec orphan = new SelinuxProfileSpec();
    orphan.setInherit(List.of(new PolicyRef("SelinuxProfile", "missing")));
    assertThatThrownBy(() -> NO_PARENTS.translate("x", orphan)).hasMessageContaining("SelinuxProfile missing does not exist");

    SelinuxProfileSpec a = new SelinuxProfileSpec();
    a.setInherit(List.of(new PolicyRef("SelinuxProfile", "b")));
    SelinuxProfileSpec b = new SelinuxProfileSpec();
    b.setInherit(List.of(new PolicyRef("SelinuxProfile", "a")));
    SelinuxCil cycle = new SelinuxCil(name -> name.equals("a") ? a : name.equals("b") ? b : null);
    assertThatThrownBy(() -> cycle.translate("a", a)).hasMessageContaining("inherit cycle: a -> b -> a");

    SelinuxProfileSpec net = new SelinuxProfileSpec();
    net.setInherit(List.of(new PolicyRef("System", "net_container")));
    assertThatThrownBy(() -> NO_PARENTS.translate("x", net)).hasMessageContaining("net_container is not allowed");

    assertThatThrownBy(() -> NO_PARENTS.translate("my.profile", new SelinuxProfileSpec()))
        .hasMessageContaining("CIL reads '.' as a namespace separator");
  }

  private static SelinuxProfileSpec allow(String type, String objectClass, String permission) {
    SelinuxProfileSpec spec = new SelinuxProfileSpec();
    Map<String, Map<String, List<String>>> allow = new LinkedHashMap<>();
    allow.put(type, Map.of(objectClass, List.of(permission)));
    spec.setAllow(allow);
    return spec;
  }
}
