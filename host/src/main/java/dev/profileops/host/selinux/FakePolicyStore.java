package dev.profileops.host.selinux;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory store for unit tests: a module whose CIL contains {@link #FAIL_MARKER} fails to
 * compile, naming itself, as semodule does; every transaction is counted.
 */
public final class FakePolicyStore implements PolicyStore {
  public static final String FAIL_MARKER = "no_such_type_t";

  private final Map<String, String> modules = new TreeMap<>();
  private final Set<String> systemModules = new TreeSet<>();
  private final List<Set<String>> transactions = new CopyOnWriteArrayList<>();

  /** Adds a module at another priority, as a distribution policy has. */
  public synchronized FakePolicyStore withSystemModule(String name) {
    systemModules.add(name);
    return this;
  }

  public synchronized Map<String, String> modules() {
    return new TreeMap<>(modules);
  }

  /** The module names of every install transaction so far, in order. */
  public List<Set<String>> transactions() {
    return new ArrayList<>(transactions);
  }

  @Override
  public synchronized Set<String> installed() {
    return new TreeSet<>(modules.keySet());
  }

  @Override
  public synchronized Set<String> allModules() {
    Set<String> all = new TreeSet<>(systemModules);
    all.addAll(modules.keySet());
    return all;
  }

  @Override
  public synchronized void install(Map<String, String> batch) throws PolicyStoreException {
    transactions.add(new TreeSet<>(batch.keySet()));
    for (Map.Entry<String, String> module : batch.entrySet()) {
      if (module.getValue().contains(FAIL_MARKER)) {
        throw new PolicyStoreException("Failed to resolve allow statement at modules/" + module.getKey() + "/cil",
            module.getKey());
      }
    }
    modules.putAll(batch);
  }

  @Override
  public synchronized void remove(Collection<String> names) {
    names.forEach(modules::remove);
  }
}
