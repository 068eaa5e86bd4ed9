package dev.profileops.host.kmsg;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** A kernel log for tests: records added with {@link #add} are read back in order, then none. */
public final class FakeKernelLog implements KernelLog {
  private final Deque<String> records = new ArrayDeque<>();
  private long lost;
  private boolean closed;

  /** Adds a raw record, e.g. {@code 5,263,9423546540,-;audit: type=1326 ...}. */
  public synchronized FakeKernelLog add(String record) {
    records.addLast(record);
    return this;
  }

  /** As if the ring overwrote records before they were read. */
  public synchronized void overwrite(int count) {
    lost += count;
  }

  @Override
  public synchronized Optional<String> next() {
    return Optional.ofNullable(records.pollFirst());
  }

  @Override
  public synchronized long lost() {
    return lost;
  }

  public synchronized boolean closed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }
}
