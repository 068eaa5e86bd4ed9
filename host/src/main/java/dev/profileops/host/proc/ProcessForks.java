package dev.profileops.host.proc;

import java.io.Closeable;

/**
 * The kernel's process fork events (the netlink process connector), so a process that is gone by
 * the time its log line is read can be traced to its parent. Events go to a listener on the
 * implementation's own thread.
 */
public interface ProcessForks extends Closeable {

  /** Told each new process (not thread): its pid and its parent's. */
  @FunctionalInterface
  interface Listener {
    void forked(long parentPid, long childPid);
  }

  /** False for the stand-in where events cannot be received; {@link #reason()} says why. */
  boolean available();

  String reason();

  /** Events the kernel dropped because the reader fell behind (ENOBUFS), so far. */
  long lost();

  @Override
  void close();
}
