package dev.profileops.nodedaemon.enricher.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.host.kmsg.FakeKernelLog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelLogSourceTest {
  @Test
  void handsEachRecordsMessageWithItsSequenceNumber() throws Exception {
    FakeKernelLog log = new FakeKernelLog()
        .add("5,263,9423546540,-;audit: type=1326 audit(1795987338.820:263): pid=1")
        .add("6,264,9423546541,c;text; with a semicolon")
        .add("no header at all");
    List<String> read = new ArrayList<>();
    try (KernelLogSource source = new KernelLogSource(log)) {
      assertThat(source.poll((line, where) -> read.add(where + " | " + line))).isTrue();
      assertThat(source.poll((line, where) -> read.add(line))).isFalse();
    }

    assertThat(read).containsExactly(
        "/dev/kmsg seq 263 | audit: type=1326 audit(1795987338.820:263): pid=1",
        "/dev/kmsg seq 264 | text; with a semicolon",
        "/dev/kmsg seq ? | no header at all");
    assertThat(log.closed()).isTrue();
  }
}
