package dev.profileops.nodedaemon.enricher.source;

import dev.profileops.host.kmsg.KernelLog;
import java.io.IOException;
import java.util.Optional;

/** The kernel log ring: each record's message; its sequence number says where it was. */
public final class KernelLogSource implements LineSource {
  private final KernelLog log;

  public KernelLogSource(KernelLog log) {
    this.log = log;
  }

  @Override
  public boolean poll(LineSink sink) throws IOException {
    boolean read = false;
    Optional<String> record;
    while ((record = log.next()).isPresent()) {
      String text = record.get();
      int semicolon = text.indexOf(';');
      int firstComma = text.indexOf(',');
      int secondComma = firstComma < 0 ? -1 : text.indexOf(',', firstComma + 1);
      String seq = secondComma > 0 && secondComma < semicolon ? text.substring(firstComma + 1, secondComma) : "?";
      sink.accept(semicolon >= 0 ? text.substring(semicolon + 1) : text, "/dev/kmsg seq " + seq);
      read = true;
    }
    return read;
  }

  /** Records the ring overwrote before they were read. */
  public long lost() {
    return log.lost();
  }

  @Override
  public String describe() {
    return "/dev/kmsg";
  }

  @Override
  public void close() throws IOException {
    log.close();
  }
}
