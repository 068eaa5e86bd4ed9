package dev.profileops.host.selinux;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** Stands in where there is no usable policy store; every change fails with the reason. */
public final class UnsupportedPolicyStore implements PolicyStore {
  private final String reason;

  public UnsupportedPolicyStore(String reason) {
    this.reason = reason;
  }

  @Override
  public boolean available() {
    return false;
  }

  @Override
  public String unavailableReason() {
    return reason;
  }

  @Override
  public Set<String> installed() {
    return Set.of();
  }

  @Override
  public Set<String> allModules() {
    return Set.of();
  }

  @Override
  public void install(Map<String, String> modules) throws IOException {
    throw new IOException("no SELinux policy store: " + reason);
  }

  @Override
  public void remove(Collection<String> names) throws IOException {
    throw new IOException("no SELinux policy store: " + reason);
  }
}
