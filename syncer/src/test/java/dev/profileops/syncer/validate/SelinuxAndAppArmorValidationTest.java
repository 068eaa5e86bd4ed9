package dev.profileops.syncer.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.apparmor.AppArmorMode;
import dev.profileops.api.apparmor.AppArmorProfile;
import dev.profileops.api.selinux.SelinuxMode;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.host.seccomp.LibseccompSyscallTable;
import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.LoadedObject;
import dev.profileops.syncer.source.RepositoryLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader on SelinuxProfile, RawSelinuxProfile and AppArmorProfile files: file:line: field: message. */
class SelinuxAndAppArmorValidationTest {
  @TempDir Path repo;

  private LoadResult load() {
    return new RepositoryLoader(LibseccompSyscallTable.load()).load(repo);
  }

  private List<String> errors() {
    return load().errors().stream().map(Problem::toString).toList();
  }

  private void write(String file, String content) throws IOException {
    Files.createDirectories(repo.resolve(file).getParent());
    Files.writeString(repo.resolve(file), content);
  }

  @Test
  void theTemplateExamplesAreValid() throws IOException {
    for (String file : List.of("selinux/web-server-selinux.yaml", "selinux/log-reader.yaml", "apparmor/web-server-apparmor.yaml")) {
      write(file, Files.readString(Path.of("../repo-template").resolve(file)));
    }

    LoadResult result = load();

    assertThat(result.problems()).isEmpty();
    assertThat(result.validObjects()).extracting(LoadedObject::id).hasSize(3);
  }

  @Test
  void olderVersionsConvertPermissiveAndComplainMode() throws IOException {
    write("old.yaml", """
        apiVersion: security-profiles-operator.x-k8s.io/v1alpha2
        kind: SelinuxProfile
        metadata:
          name: old-selinux
          namespace: team-a
        spec:
          permissive: true
          allow:
            var_log_t:
              file: [read]
        ---
        apiVersion: security-profiles-operator.x-k8s.io/v1alpha1
        kind: AppArmorProfile
        metadata:
          name: old-apparmor
        spec:
          complainMode: true
          policy: |
            #include <tunables/global>
            profile old-apparmor flags=(attach_disconnected) {
              file,
            }
        """);

    LoadResult result = load();

    assertThat(result.problems()).isEmpty();
    assertThat(result.validObjects()).extracting(LoadedObject::resource)
        .anySatisfy(r -> assertThat(r).isInstanceOfSatisfying(SelinuxProfile.class,
            p -> assertThat(p.getSpec().getMode()).isEqualTo(SelinuxMode.Permissive)))
        .anySatisfy(r -> assertThat(r).isInstanceOfSatisfying(AppArmorProfile.class,
            p -> assertThat(p.getSpec().getMode()).isEqualTo(AppArmorMode.Complain)))
        .hasSize(2);
  }

  @Test
  void selinuxDenyListAllowListAndNamesAreErrorsWithLines() throws IOException {
    write("bad.yaml", """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SelinuxProfile
        metadata:
          name: bad.name
        spec:
          inherit:
            - kind: System
              name: spc
          allow:
            shadow_t:
              file: [read]
            var_log_t:
              security: [read]
              file: [relabelto]
        """);

    assertThat(errors()).containsExactly(
        "bad.yaml:4: metadata.name: an SELinux profile name becomes a CIL block and module name: lower-case letters, digits and '-', "
            + "starting with a letter, at most 100 characters (CIL reads '.' as a namespace separator); found \"bad.name\"",
        "bad.yaml:8: spec.inherit[0].name: System policy \"spc\" is not in the allow-list (container)",
        "bad.yaml:10: spec.allow.shadow_t: access to type shadow_t is not allowed (deny-list: kernel_t, kmem_t, security_t, shadow_t)",
        "bad.yaml:13: spec.allow.var_log_t.security: object class security is not allowed (deny-list: capability, capability2, security, system)",
        "bad.yaml:14: spec.allow.var_log_t.file[0]: permission relabelto is not allowed (deny-list: load_policy, mac_admin, mounton, "
            + "relabelfrom, relabelto, setbool, setenforce, setsecparam)");
  }

  @Test
  void inheritedSelinuxProfilesMustExistAndNotFormACycle() throws IOException {
    write("chain.yaml", """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SelinuxProfile
        metadata:
          name: child
        spec:
          inherit:
            - kind: SelinuxProfile
              name: missing
        ---
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SelinuxProfile
        metadata:
          name: a
        spec:
          inherit:
            - kind: SelinuxProfile
              name: b
        ---
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SelinuxProfile
        metadata:
          name: b
        spec:
          inherit:
            - kind: SelinuxProfile
              name: a
        """);

    assertThat(errors()).contains(
        "chain.yaml:8: spec.inherit[0].name: inherits SelinuxProfile missing, which is not in the repository",
        "chain.yaml:17: spec.inherit[0].name: inherit cycle through SelinuxProfile b");
    assertThat(load().validObjects()).isEmpty();
  }

  @Test
  void aSelinuxProfileAndARawOneCannotShareAName() throws IOException {
    write("a.yaml", """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SelinuxProfile
        metadata:
          name: app
        spec: {}
        """);
    write("b.yaml", """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: RawSelinuxProfile
        metadata:
          name: app
        spec:
          policy: "(blockinherit container)"
        """);

    assertThat(errors()).containsExactly("b.yaml:4: metadata.name: RawSelinuxProfile \"app\" would install the same SELinux "
        + "module as the SelinuxProfile at a.yaml:1; give one of them another name");
  }

  @Test
  void profilesOfDifferentKindsCannotShareANameAsTheirNodeStatusesWould() throws IOException {
    write("seccomp.yaml", """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: SeccompProfile
        metadata:
          name: web
        spec:
          defaultAction: SCMP_ACT_ERRNO
        """);
    write("apparmor.yaml", """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: AppArmorProfile
        metadata:
          name: web
        spec:
          abstract: {}
        """);

    assertThat(errors()).containsExactly("seccomp.yaml:4: metadata.name: SeccompProfile \"web\" would share its per-node status "
        + "(SecurityProfileNodeStatus <name>-<node>) with the AppArmorProfile at apparmor.yaml:1; give one of them another name");
  }

  @Test
  void rawCilProblemsPointIntoThePolicyText() throws IOException {
    write("raw.yaml", """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: RawSelinuxProfile
        metadata:
          name: raw
        spec:
          policy: |
            (blockinherit container)
            (sid kernel)
            (allow process var_log_t (file (read))
        """);

    assertThat(errors()).containsExactly(
        "raw.yaml:8: spec.policy: statement \"sid\" is not allowed in a raw profile (allowed: allow, allowx, auditallow, "
            + "auditallowx, blockinherit, boolean, booleanif, call, classmap, classmapping, classpermission, classpermissionset, "
            + "dontaudit, dontauditx, macro, permissionx, roletype, tunable, tunableif, type, typealias, typealiasactual, "
            + "typeattribute, typeattributeset, typechange, typemember, typepermissive, typetransition)",
        "raw.yaml:9: spec.policy: unbalanced parentheses: the statement opened here is never closed");
  }

  @Test
  void appArmorHostilePathsAndCapabilitiesAreErrorsWithLines() throws IOException {
    write("aa.yaml", """
        apiVersion: security-profiles-operator.x-k8s.io/v1
        kind: AppArmorProfile
        metadata:
          name: aa
        spec:
          abstract:
            filesystem:
              readOnlyPaths:
                - /etc/../etc/shadow
                - "/tmp/x,\\n  /** rwlkx"
              readWritePaths:
                - /**
            capability:
              allowedCapabilities: [net_bind_service, sys_module]
        """);

    assertThat(errors()).containsExactly(
        "aa.yaml:9: spec.abstract.filesystem.readOnlyPaths[0]: path must not contain '.' or '..' segments: /etc/../etc/shadow",
        "aa.yaml:10: spec.abstract.filesystem.readOnlyPaths[1]: path contains a line break or NUL (it would inject rules): "
            + "\"/tmp/x,\\n  /** rwlkx\"",
        "aa.yaml:12: spec.abstract.filesystem.readWritePaths[0]: the first directory of a path must be named, not globbed "
            + "(it would cover the whole file system): /**",
        "aa.yaml:14: spec.abstract.capability.allowedCapabilities[1]: capability sys_module is not allowed in a profile");
  }
}
