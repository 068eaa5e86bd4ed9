package dev.profileops.nodedaemon.selinux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.api.selinux.RawCilCheck;
import dev.profileops.host.selinux.PolicyStore;
import dev.profileops.host.selinux.PolicyStores;
import dev.profileops.testsupport.SelinuxStoreCopy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real thing: Debian's selinux-policy-default store, copied to a temporary root, with modules
 * translated from repo-template/ installed through semodule (libsemanage) and listed back.
 */
class SelinuxPolicyStoreTest {
  private SelinuxStoreCopy copy;
  private PolicyStore store;
  private SelinuxPolicyInstaller installer;

  @BeforeEach
  void copyTheStore() throws Exception {
    SelinuxStoreCopy.assumeAvailable();
    copy = SelinuxStoreCopy.create();
    store = PolicyStores.system(copy.root(), SelinuxStoreCopy.STORE_NAME);
    installer = new SelinuxPolicyInstaller(store);
  }

  @AfterEach
  void dropTheCopy() {
    if (copy != null) {
      copy.close();
    }
  }

  @Test
  void templateProfilesInstallInOneTransactionAndABrokenOneIsReportedWithTheCompilersMessage() throws Exception {
    assertThat(store.available()).as(store.unavailableReason()).isTrue();
    assertThat(installer.installBasePolicies().errors()).isEmpty();

    Map<String, String> modules = new LinkedHashMap<>();
    modules.put("web-server-selinux", new SelinuxCil(n -> null)
        .translate("web-server-selinux", SelinuxCilTest.example("selinux/web-server-selinux.yaml").getSpec()));
    modules.put("log-reader", RawCilCheck.wrap("log-reader",
        SelinuxCilTest.rawExample("selinux/log-reader.yaml").getSpec().getPolicy()));
    modules.put("broken", RawCilCheck.wrap("broken", """
        (blockinherit container)
        (allow process no_such_type_t (file (read)))
        """));

    SelinuxPolicyInstaller.BatchResult result = installer.installAll(modules);

    assertThat(result.installedNames()).containsExactly("web-server-selinux", "log-reader");
    assertThat(result.errors()).containsOnlyKeys("broken");
    assertThat(result.errors().get("broken")).contains("Failed to resolve allow statement");
    assertThat(result.transactions()).isEqualTo(2);
    List<String> listed = copy.listFull();
    assertThat(listed).anySatisfy(l -> assertThat(l).matches("350 +web-server-selinux +cil"))
        .anySatisfy(l -> assertThat(l).matches("350 +log-reader +cil"))
        .anySatisfy(l -> assertThat(l).matches("350 +profileops-container +cil"))
        .anySatisfy(l -> assertThat(l).matches("350 +selinuxrecording +cil"))
        .noneSatisfy(l -> assertThat(l).contains("broken"));

    assertThat(installer.remove(List.of("web-server-selinux"))).isTrue();
    assertThat(copy.listFull()).noneSatisfy(l -> assertThat(l).contains("web-server-selinux"))
        .anySatisfy(l -> assertThat(l).contains("log-reader"));
    assertThat(store.installed()).contains("log-reader").doesNotContain("web-server-selinux");
  }
}
