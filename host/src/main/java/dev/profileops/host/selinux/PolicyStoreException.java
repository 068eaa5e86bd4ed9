package dev.profileops.host.selinux;

import java.io.IOException;
import java.util.Optional;

/** The store refused a transaction; carries the compiler's message and, when it names one, the failing module. */
public final class PolicyStoreException extends IOException {
  private final String failedModule;

  public PolicyStoreException(String message, String failedModule) {
    super(message);
    this.failedModule = failedModule;
  }

  /** The module the compiler's message blames, when it names one. */
  public Optional<String> failedModule() {
    return Optional.ofNullable(failedModule);
  }
}
