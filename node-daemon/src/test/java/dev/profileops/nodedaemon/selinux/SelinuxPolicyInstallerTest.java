package dev.profileops.nodedaemon.selinux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.profileops.api.selinux.RawCilCheck;
import dev.profileops.host.selinux.FakePolicyStore;
import dev.profileops.host.selinux.PolicyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Batching and retry logic against the fake store; {@link SelinuxPolicyStoreTest} runs the real semodule. */
class SelinuxPolicyInstallerTest {
  private final FakePolicyStore store = new FakePolicyStore();
  private final SelinuxPolicyInstaller installer = new SelinuxPolicyInstaller(store);

  @Test
  void installsEveryModuleInOneTransaction() throws Exception {
    Map<String, String> modules = modules("a", "b", "c");

    SelinuxPolicyInstaller.BatchResult result = installer.installAll(modules);

    assertThat(result.transactions()).isEqualTo(1);
    assertThat(result.installedNames()).containsExactly("a", "b", "c");
    assertThat(store.transactions()).containsExactly(Set.of("a", "b", "c"));
  }

  @Test
  void aModuleThatDoesNotCompileIsReportedAndTheOthersGoInWithoutIt() throws Exception {
    Map<String, String> modules = modules("a", "b", "c");
    modules.put("b", "(block b (allow process " + FakePolicyStore.FAIL_MARKER + " (file (read))))");

    SelinuxPolicyInstaller.BatchResult result = installer.installAll(modules);

    assertThat(result.installedNames()).containsExactly("a", "c");
    assertThat(result.errors()).containsOnlyKeys("b");
    assertThat(result.errors().get("b")).contains("Failed to resolve");
    assertThat(store.transactions()).containsExactly(Set.of("a", "b", "c"), Set.of("a", "c"));
    assertThat(store.modules()).containsOnlyKeys("a", "c");
  }

  @Test
  void unchangedModulesAreNotRebuilt() throws Exception {
    installer.installAll(modules("a", "b"));
    Map<String, String> next = modules("a", "b");
    next.put("b", "(block b (allow process self (file (write))))");

    SelinuxPolicyInstaller.BatchResult result = installer.installAll(next);

    assertThat(store.transactions()).containsExactly(Set.of("a", "b"), Set.of("b"));
    assertThat(result.modules().get("a").changed()).isFalse();
    assertThat(result.modules().get("b").changed()).isTrue();
  }

  @Test
  void basePoliciesSkipOurContainerWhereTheDistributionHasOne() throws Exception {
    installer.installBasePolicies();
    assertThat(store.modules()).containsOnlyKeys(BasePolicies.CONTAINER_MODULE, BasePolicies.RECORDING_MODULE);

    FakePolicyStore withContainerSelinux = new FakePolicyStore().withSystemModule("container");
    new SelinuxPolicyInstaller(withContainerSelinux).installBasePolicies();
    assertThat(withContainerSelinux.modules()).containsOnlyKeys(BasePolicies.RECORDING_MODULE);
  }

  @Test
  void modulesHandedInDuringATransactionShareTheNextOne() throws Exception {
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Set<String>> transactions = new java.util.concurrent.CopyOnWriteArrayList<>();
    PolicyStore blocking = new PolicyStore() {
      @Override public boolean available() { return true; }
      @Override public String unavailableReason() { return ""; }
      @Override public Set<String> installed() { return Set.of(); }
      @Override public Set<String> allModules() { return Set.of(); }
      @Override public void remove(java.util.Collection<String> names) {}
      @Override public void install(Map<String, String> modules) throws java.io.IOException {
        transactions.add(Set.copyOf(modules.keySet()));
        if (transactions.size() == 1) {
          firstRunning.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
          }
        }
      }
    };
    SelinuxPolicyInstaller grouping = new SelinuxPolicyInstaller(blocking);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<SelinuxPolicyInstaller.ModuleResult>> results = new ArrayList<>();
      results.add(pool.submit(() -> grouping.install("first", "(block first)")));
      firstRunning.await();
      for (int i = 0; i < 7; i++) {
        String name = "m" + i;
        results.add(pool.submit(() -> grouping.install(name, "(block " + name + ")")));
      }
      await().until(() -> grouping.waiting() == 7);
      release.countDown();
      for (Future<SelinuxPolicyInstaller.ModuleResult> result : results) {
        assertThat(result.get().installed()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(transactions).containsExactly(Set.of("first"), Set.of("m0", "m1", "m2", "m3", "m4", "m5", "m6"));
  }

  @Test
  void removesOnlyWhatIsThere() throws Exception {
    installer.installAll(modules("a", "b"));

    assertThat(installer.remove(List.of("a", "zzz"))).isTrue();
    assertThat(installer.remove(List.of("zzz"))).isFalse();
    assertThat(store.modules()).containsOnlyKeys("b");
  }

  static Map<String, String> modules(String... names) {
    Map<String, String> modules = new LinkedHashMap<>();
    for (String name : names) {
      modules.put(name, RawCilCheck.wrap(name, "(blockinherit container)"));
    }
    return modules;
  }
}
