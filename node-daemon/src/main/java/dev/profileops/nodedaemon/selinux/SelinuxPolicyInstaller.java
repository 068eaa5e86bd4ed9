package dev.profileops.nodedaemon.selinux;

import dev.profileops.host.selinux.PolicyStore;
import dev.profileops.host.selinux.PolicyStoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs CIL modules into a policy store the way selinuxd does for SPO, but in batches: a policy
 * build costs seconds whatever the number of modules, so every module that changed goes into one
 * transaction. A module that does not compile is taken out with the compiler's message and the batch
 * is retried without it, so one bad profile never keeps the others out.
 *
 * <p>{@link #install(String, String)} is safe for concurrent use and groups itself: the modules that
 * reconcilers hand in while a transaction runs go into the next one together. Modules whose text was
 * installed by this installer before are not rebuilt.
 */
public final class SelinuxPolicyInstaller {
  private static final Logger log = LoggerFactory.getLogger(SelinuxPolicyInstaller.class);

  /** What happened to one module. */
  public record ModuleResult(boolean installed, boolean changed, String error) {
    static ModuleResult ok(boolean changed) {
      return new ModuleResult(true, changed, null);
    }

    static ModuleResult failed(String error) {
      return new ModuleResult(false, false, error);
    }
  }

  /** What one batch did: per module, and how many store transactions it took. */
  public record BatchResult(Map<String, ModuleResult> modules, int transactions) {
    public List<String> installedNames() {
      return modules.entrySet().stream().filter(e -> e.getValue().installed()).map(Map.Entry::getKey).toList();
    }

    public Map<String, String> errors() {
      Map<String, String> errors = new TreeMap<>();
      modules.forEach((name, result) -> {
        if (!result.installed()) {
          errors.put(name, result.error());
        }
      });
      return errors;
    }
  }

  private final PolicyStore store;
  /** Module name to the CIL this installer last put into the store. */
  private final Map<String, String> installedText = new ConcurrentHashMap<>();
  private final Object queueLock = new Object();
  private Map<String, Pending> queue = new LinkedHashMap<>();
  private boolean draining;

  private record Pending(String cil, CompletableFuture<ModuleResult> result) {}

  public SelinuxPolicyInstaller(PolicyStore store) {
    this.store = store;
  }

  public PolicyStore store() {
    return store;
  }

  private volatile boolean baseInstalled;

  /** {@link #installBasePolicies()} once; again on the next call if it failed. */
  public void ensureBasePolicies() throws IOException {
    if (baseInstalled) {
      return;
    }
    synchronized (this) {
      if (!baseInstalled) {
        BatchResult result = installBasePolicies();
        if (!result.errors().isEmpty()) {
          throw new IOException("the base policies do not build: " + result.errors());
        }
        baseInstalled = true;
      }
    }
  }

  /**
   * Installs our {@code container} template (unless the store already has a {@code container}
   * module, as with container-selinux) and the permissive {@code selinuxrecording} policy.
   */
  public BatchResult installBasePolicies() throws IOException {
    Map<String, String> modules = new LinkedHashMap<>();
    if (!store.allModules().contains("container")) {
      modules.put(BasePolicies.CONTAINER_MODULE, BasePolicies.CONTAINER_CIL);
    }
    modules.put(BasePolicies.RECORDING_MODULE, BasePolicies.RECORDING_CIL);
    return installAll(modules);
  }

  /**
   * Installs one module, in a transaction with whatever other modules are handed in meanwhile;
   * returns when the module's transaction is done.
   */
  public ModuleResult install(String name, String cil) throws IOException {
    CompletableFuture<ModuleResult> mine;
    boolean lead;
    synchronized (queueLock) {
      Pending previous = queue.get(name);
      if (previous != null) {
        previous.result().cancel(false);
      }
      mine = new CompletableFuture<>();
      queue.put(name, new Pending(cil, mine));
      lead = !draining;
      draining = true;
    }
    if (lead) {
      drain();
    }
    try {
      return mine.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for the SELinux transaction");
    } catch (java.util.concurrent.CancellationException e) {
      return ModuleResult.failed("superseded by a newer version of the module handed in meanwhile");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  /** Runs batches until nobody is waiting; the caller that found no batch running does this. */
  private void drain() {
    while (true) {
      Map<String, Pending> batch;
      synchronized (queueLock) {
        if (queue.isEmpty()) {
          draining = false;
          return;
        }
        batch = queue;
        queue = new LinkedHashMap<>();
      }
      Map<String, String> modules = new LinkedHashMap<>();
      batch.forEach((name, pending) -> modules.put(name, pending.cil()));
      try {
        BatchResult result = installAll(modules);
        batch.forEach((name, pending) -> pending.result().complete(result.modules().get(name)));
      } catch (IOException | RuntimeException e) {
        batch.values().forEach(pending -> pending.result().completeExceptionally(e));
      }
    }
  }

  /**
   * Installs the modules in as few transactions as it takes: all at once, then again without each
   * module the compiler blames, until the rest goes in. Unchanged modules are skipped.
   *
   * @throws IOException when the store itself fails (not a module's fault)
   */
  public BatchResult installAll(Map<String, String> modules) throws IOException {
    Map<String, ModuleResult> results = new LinkedHashMap<>();
    Map<String, String> pending = new LinkedHashMap<>();
    modules.forEach((name, cil) -> {
      if (cil.equals(installedText.get(name))) {
        results.put(name, ModuleResult.ok(false));
      } else {
        pending.put(name, cil);
      }
    });
    int transactions = 0;
    while (!pending.isEmpty()) {
      try {
        transactions++;
        store.install(pending);
        pending.forEach((name, cil) -> {
          installedText.put(name, cil);
          results.put(name, ModuleResult.ok(true));
        });
        break;
      } catch (PolicyStoreException e) {
        String blamed = e.failedModule().filter(pending::containsKey).orElse(null);
        if (blamed == null && pending.size() > 1) {
          // The message names no module of ours: find the bad ones by installing each alone.
          transactions += installOneByOne(pending, results);
          break;
        }
        String failed = blamed == null ? pending.keySet().iterator().next() : blamed;
        log.warn("SELinux module {} does not compile: {}", failed, e.getMessage());
        results.put(failed, ModuleResult.failed(e.getMessage()));
        pending.remove(failed);
      }
    }
    Map<String, ModuleResult> ordered = new LinkedHashMap<>();
    modules.keySet().forEach(name -> ordered.put(name, results.get(name)));
    return new BatchResult(ordered, transactions);
  }

  private int installOneByOne(Map<String, String> modules, Map<String, ModuleResult> results) throws IOException {
    int transactions = 0;
    for (Map.Entry<String, String> module : modules.entrySet()) {
      transactions++;
      try {
        store.install(Map.of(module.getKey(), module.getValue()));
        installedText.put(module.getKey(), module.getValue());
        results.put(module.getKey(), ModuleResult.ok(true));
      } catch (PolicyStoreException e) {
        results.put(module.getKey(), ModuleResult.failed(e.getMessage()));
      }
    }
    return transactions;
  }

  /** Removes the modules of this installer's priority that are there; true when one was. */
  public boolean remove(Collection<String> names) throws IOException {
    Set<String> present = store.installed();
    List<String> ours = new ArrayList<>(names.stream().filter(present::contains).toList());
    if (ours.isEmpty()) {
      names.forEach(installedText::remove);
      return false;
    }
    store.remove(ours);
    names.forEach(installedText::remove);
    return true;
  }

  /** Modules handed in and waiting for the next transaction. */
  int waiting() {
    synchronized (queueLock) {
      return queue.size();
    }
  }

  public Set<String> installed() throws IOException {
    return store.installed();
  }
}
