package dev.profileops.benchmarks;

import dev.profileops.api.selinux.SelinuxProfileSpec;
import dev.profileops.host.selinux.ScratchPolicyStore;
import dev.profileops.nodedaemon.selinux.SelinuxCil;
import dev.profileops.nodedaemon.selinux.SelinuxPolicyInstaller;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SELinux profiles installed in one libsemanage transaction against one transaction each (target:
 * batch at least 10x faster for 20 profiles). Each measurement gets its own scratch copy of this
 * machine's policy store (Debian's selinux-policy-default), so neither sees the other's modules;
 * both start with the base policies already installed, as a running daemon has them.
 *
 * <pre>{@code benchmarks/selinux-batch.sh [--profiles 20] [--repeat 2]}</pre>
 */
public final class SelinuxBatchBenchmark {
  private SelinuxBatchBenchmark() {}

  public static void main(String[] args) throws Exception {
    int profiles = 20;
    int repeat = 2;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--profiles" -> profiles = Integer.parseInt(args[++i]);
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        case "--help" -> {
          System.out.println("usage: SelinuxBatchBenchmark [--profiles N] [--repeat R]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Map<String, String> modules = modules(profiles);
    System.out.printf("%d SELinux profiles, store copied from / (semodule -n -p <copy>)%n", profiles);
    for (int run = 1; run <= repeat; run++) {
      long batch = timeBatch(modules);
      long oneByOne = timeOneByOne(modules);
      System.out.printf("run %d: one transaction %,d ms, %d transactions %,d ms, ratio %.1fx%n",
          run, batch, modules.size(), oneByOne, (double) oneByOne / batch);
    }
  }

  /** Profiles in the shape of the template's web server, each with its own name and a few rules. */
  static Map<String, String> modules(int count) {
    Map<String, String> modules = new LinkedHashMap<>();
    SelinuxCil cil = new SelinuxCil(name -> null);
    for (int i = 0; i < count; i++) {
      String name = "bench-" + i;
      SelinuxProfileSpec spec = new SelinuxProfileSpec();
      spec.setAllow(Map.of(
          "var_log_t", Map.of("file", List.of("append", "getattr", "open"), "dir", List.of("search")),
          "http_port_t", Map.of("tcp_socket", List.of("name_bind")),
          "@self", Map.of("tcp_socket", List.of("accept", "bind", "create", "listen"))));
      modules.put(name, cil.translate(name, spec));
    }
    return modules;
  }

  private static long timeBatch(Map<String, String> modules) throws Exception {
    try (ScratchPolicyStore scratch = ScratchPolicyStore.copyOf(Path.of("/"), "default")) {
      SelinuxPolicyInstaller installer = prepared(scratch);
      long start = System.nanoTime();
      SelinuxPolicyInstaller.BatchResult result = installer.installAll(modules);
      long ms = (System.nanoTime() - start) / 1_000_000;
      check(result.errors().isEmpty() && result.transactions() == 1, "batch: " + result.errors());
      check(scratch.store().installed().containsAll(modules.keySet()), "batch: modules missing from the store");
      return ms;
    }
  }

  private static long timeOneByOne(Map<String, String> modules) throws Exception {
    try (ScratchPolicyStore scratch = ScratchPolicyStore.copyOf(Path.of("/"), "default")) {
      SelinuxPolicyInstaller installer = prepared(scratch);
      long start = System.nanoTime();
      for (Map.Entry<String, String> module : modules.entrySet()) {
        SelinuxPolicyInstaller.BatchResult result = installer.installAll(Map.of(module.getKey(), module.getValue()));
        check(result.errors().isEmpty(), "one by one: " + result.errors());
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      check(scratch.store().installed().containsAll(modules.keySet()), "one by one: modules missing from the store");
      return ms;
    }
  }

  private static SelinuxPolicyInstaller prepared(ScratchPolicyStore scratch) throws Exception {
    check(scratch.store().available(), scratch.store().unavailableReason());
    SelinuxPolicyInstaller installer = new SelinuxPolicyInstaller(scratch.store());
    installer.ensureBasePolicies();
    return installer;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark run failed: " + what);
    }
  }
}
