package dev.profileops.nodedaemon.seccomp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;

/**
 * The node's seccomp profile files as the reconciler sees them, so the reconciler does not touch the
 * host directly. {@link SeccompProfileInstaller} is the real one.
 */
public interface SeccompProfileFiles {

  /** Puts the profile's OCI seccomp JSON in place, unless the file already has these bytes. */
  InstallResult install(String name, byte[] json) throws IOException;

  /** Deletes the profile's file if this installer put it there; true when it did. */
  boolean remove(String name) throws IOException;

  /**
   * Marks the names as ours before they are installed, all at once; {@link #install} does it per name
   * otherwise. Only an optimisation for many installs in a row.
   */
  default void claim(Collection<String> names) throws IOException {}

  /** Names of the profiles this installer put in place. */
  Set<String> installedNames() throws IOException;

  /** Absolute path of the profile's file on the node. */
  Path pathFor(String name);
}
