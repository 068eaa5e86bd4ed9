package dev.profileops.nodedaemon.enricher.source;

import java.io.Closeable;
import java.io.IOException;

/** Where audit lines come from; polled by one reader thread, never blocks. */
public interface LineSource extends Closeable {

  /** Hands every line available now to the sink; false when there was none. */
  boolean poll(LineSink sink) throws IOException;

  /** For messages: the file or device. */
  String describe();

  /** Receives a line with where it was ({@code file:line}, {@code /dev/kmsg seq N}). */
  @FunctionalInterface
  interface LineSink {
    void accept(String line, String where);
  }
}
