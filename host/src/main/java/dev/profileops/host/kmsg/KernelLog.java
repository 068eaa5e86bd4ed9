package dev.profileops.host.kmsg;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * The kernel's log ring ({@code /dev/kmsg}) read record by record without blocking. Each record is
 * {@code <prio>,<seq>,<usec>,<flags>;<message>}; continuation lines (the {@code KEY=value}
 * dictionary) are dropped.
 */
public interface KernelLog extends Closeable {

  /** The next record's first line, or empty when no record is waiting now. */
  Optional<String> next() throws IOException;

  /** Records the ring overwrote before they were read (EPIPE from the kernel), so far. */
  long lost();

  @Override
  void close() throws IOException;
}
