package dev.profileops.host.selinux;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * An SELinux policy module store (libsemanage): CIL modules installed and removed in transactions.
 * Module names are the store's own; every module this store manages sits at one priority.
 */
public interface PolicyStore {
  /** False when modules cannot be installed here; {@link #unavailableReason()} says why. */
  default boolean available() {
    return true;
  }

  /** Why the store is not available; empty when it is. */
  default String unavailableReason() {
    return "";
  }

  /** Names of the modules at this store's priority. */
  Set<String> installed() throws IOException;

  /** Names of the modules at any priority (to avoid shadowing a distribution module). */
  Set<String> allModules() throws IOException;

  /**
   * Installs (or replaces) the modules, name to CIL text, in one transaction: all or none.
   *
   * @throws PolicyStoreException when the policy does not build, with the compiler's message
   */
  void install(Map<String, String> modules) throws IOException;

  /** Removes the modules (those not installed are skipped) in one transaction. */
  void remove(Collection<String> names) throws IOException;
}
