package dev.profileops.host.bpf;

import java.util.List;

/** Stands in where the BPF recorder cannot run here; every call fails with the reason. */
public final class UnsupportedSyscallRecorder implements SyscallRecorder {
  private final String reason;

  public UnsupportedSyscallRecorder(String reason) {
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }

  @Override
  public boolean available() {
    return false;
  }

  @Override
  public String version() {
    return "unavailable (" + reason + ")";
  }

  @Override
  public void start(boolean trackedOnly) {
    throw unsupported();
  }

  @Override
  public void track(long mountNamespace) {
    throw unsupported();
  }

  @Override
  public void untrack(long mountNamespace) {
    throw unsupported();
  }

  @Override
  public List<MountNamespaceRecording> recordings() {
    throw unsupported();
  }

  @Override
  public void forget(MountNamespaceRecording recording) {
    throw unsupported();
  }

  @Override
  public void close() {}

  private UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("the BPF syscall recorder cannot run here: " + reason);
  }
}
