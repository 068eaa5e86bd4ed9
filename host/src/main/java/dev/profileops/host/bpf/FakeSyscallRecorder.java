package dev.profileops.host.bpf;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory recorder for unit tests: {@link #exec} and {@link #saw} play what the kernel program
 * would see.
 */
public final class FakeSyscallRecorder implements SyscallRecorder {
  private final Map<Long, MountNamespaceRecording> recordings = new LinkedHashMap<>();
  private final Map<Long, Long> liveNamespaceIds = new LinkedHashMap<>();
  private final Set<Long> tracked = new HashSet<>();
  private long nextNamespaceId = 1;
  private boolean started;
  private boolean trackedOnly;
  private boolean closed;

  @Override
  public String version() {
    return "fake";
  }

  @Override
  public synchronized void start(boolean trackedOnly) {
    this.started = true;
    this.trackedOnly = trackedOnly;
  }

  @Override
  public synchronized void track(long mountNamespace) {
    tracked.add(mountNamespace);
  }

  @Override
  public synchronized void untrack(long mountNamespace) {
    tracked.remove(mountNamespace);
  }

  /** A new namespace with this inode number (an old one with it is dead), its first exec by {@code pid}. */
  public synchronized void exec(long mountNamespace, long pid) {
    requireRecording();
    long id = nextNamespaceId++;
    liveNamespaceIds.put(mountNamespace, id);
    if (trackedOnly && !tracked.remove(mountNamespace)) {
      return;
    }
    recordings.put(id, new MountNamespaceRecording(id, mountNamespace, new BitSet(), pid, 0, false));
  }

  /** As if the live namespace of this inode number made these syscalls. */
  public synchronized void saw(long mountNamespace, int... syscallNumbers) {
    requireRecording();
    Long id = liveNamespaceIds.get(mountNamespace);
    MountNamespaceRecording old = id == null ? null : recordings.get(id);
    if (old == null) {
      return;
    }
    BitSet bits = old.syscallNumbers();
    for (int nr : syscallNumbers) {
      bits.set(nr);
    }
    recordings.put(id, new MountNamespaceRecording(id, mountNamespace, bits, old.firstPid(), 0, false));
  }

  @Override
  public synchronized List<MountNamespaceRecording> recordings() {
    return new ArrayList<>(recordings.values());
  }

  @Override
  public synchronized void forget(MountNamespaceRecording recording) {
    recordings.remove(recording.namespaceId());
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  public synchronized boolean closed() {
    return closed;
  }

  private void requireRecording() {
    if (!started || closed) {
      throw new IllegalStateException("the fake recorder is not recording");
    }
  }
}
