package dev.profileops.host.proc;

/** Where the process connector cannot be used (not root, not Linux, no CONFIG_PROC_EVENTS): no events, and why. */
public final class UnsupportedProcessForks implements ProcessForks {
  private final String reason;

  public UnsupportedProcessForks(String reason) {
    this.reason = reason;
  }

  @Override
  public boolean available() {
    return false;
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public long lost() {
    return 0;
  }

  @Override
  public void close() {}
}
