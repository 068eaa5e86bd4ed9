package dev.profileops.host.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class NetlinkProcessForksTest {
  @Test
  void seesTheForkOfAChildOfThisJvm() throws Exception {
    Map<Long, Long> parents = new ConcurrentHashMap<>();
    try (ProcessForks forks = NetlinkProcessForks.start((parent, child) -> parents.put(child, parent))) {
      assumeTrue(forks.available(), forks.reason());
      Process sh = new ProcessBuilder("sh", "-c", "true").start();
      sh.waitFor();

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!parents.containsKey(sh.pid()) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(parents.get(sh.pid())).isEqualTo(ProcessHandle.current().pid());
    }
  }
}
