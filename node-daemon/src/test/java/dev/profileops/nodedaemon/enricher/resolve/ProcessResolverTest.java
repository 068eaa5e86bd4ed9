package dev.profileops.nodedaemon.enricher.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a directory laid out like {@code /proc}, so processes can start, exit and reuse pids. */
class ProcessResolverTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  @TempDir Path proc;
  private final AtomicLong clock = new AtomicLong();
  private final Map<String, PodContainer> pods = new HashMap<>();
  private ProcessResolver resolver;

  @BeforeEach
  void create() {
    resolver = new ProcessResolver(new ProcFsProcessTable(proc), id -> Optional.ofNullable(pods.get(id)), clock::get, 3,
        Duration.ofSeconds(60), Duration.ofSeconds(1));
  }

  @Test
  void resolvesAContainerProcessToItsPodOnceThePodIsKnown() throws IOException {
    process(42, 1000, "0::/kubepods.slice/cri-containerd-" + A + ".scope");

    assertThat(resolver.resolve(42)).isEqualTo(new ProcessResolution(false, A, null));
    pods.put(A, new PodContainer("apps", "web-1", "box"));
    assertThat(resolver.resolve(42)).isEqualTo(new ProcessResolution(false, A, new PodContainer("apps", "web-1", "box")));
  }

  @Test
  void aReusedPidIsAnotherProcessOnceTheRecheckIntervalPassed() throws IOException {
    process(42, 1000, "0::/kubepods.slice/cri-containerd-" + A + ".scope");
    assertThat(resolver.resolve(42).containerId()).isEqualTo(A);

    process(42, 2000, "0::/kubepods.slice/cri-containerd-" + B + ".scope");
    assertThat(resolver.resolve(42).containerId()).as("trusted within the recheck interval").isEqualTo(A);
    clock.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(resolver.resolve(42).containerId()).isEqualTo(B);
  }

  @Test
  void anExitedProcessHasNoContainerAndAHostProcessNone() throws IOException {
    assertThat(resolver.resolve(7)).isEqualTo(new ProcessResolution(true, null, null));
    process(8, 5, "0::/user.slice/user-0.slice/session-1.scope");
    assertThat(resolver.resolve(8)).isEqualTo(new ProcessResolution(false, null, null));
  }

  @Test
  void aProcessThatExitsAfterItsLookupKeepsItsContainerAndTheCacheStaysBounded() throws IOException {
    process(42, 1000, "0::/" + "docker-" + A + ".scope");
    assertThat(resolver.resolve(42).containerId()).isEqualTo(A);
    deleteProcess(42);
    clock.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(resolver.resolve(42).containerId()).isEqualTo(A);

    for (int pid = 100; pid < 110; pid++) {
      process(pid, pid, "0::/");
      resolver.resolve(pid);
    }
    assertThat(resolver.cached()).isEqualTo(3);
    assertThat(resolver.resolve(42).exited()).as("evicted, then gone").isTrue();
  }

  @Test
  void aProcessGoneBeforeItsLookupIsInItsNearestLiveAncestorsContainer() throws IOException {
    ProcessAncestry ancestry = new ProcessAncestry(100);
    ProcessResolver withForks = new ProcessResolver(new ProcFsProcessTable(proc), id -> Optional.ofNullable(pods.get(id)), ancestry,
        clock::get, 10, Duration.ofSeconds(60), Duration.ofSeconds(1));
    process(10, 1, "0::/kubepods.slice/cri-containerd-" + A + ".scope");
    ancestry.forked(10, 11); // sh forks a subshell, which forks mkdir; both gone
    ancestry.forked(11, 12);
    ancestry.forked(1, 20); // a host process's child
    process(1, 1, "0::/init.scope");

    assertThat(withForks.resolve(12)).isEqualTo(new ProcessResolution(false, A, null));
    assertThat(withForks.resolve(20)).isEqualTo(new ProcessResolution(true, null, null));
    assertThat(withForks.resolve(30)).as("no fork seen").isEqualTo(new ProcessResolution(true, null, null));
  }

  private void process(long pid, long startTime, String cgroup) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    StringBuilder stat = new StringBuilder(pid + " (my (odd) comm) S");
    for (int field = 4; field <= 21; field++) {
      stat.append(" 0");
    }
    stat.append(' ').append(startTime).append(" 0 0\n");
    Files.writeString(dir.resolve("stat"), stat);
    Files.writeString(dir.resolve("cgroup"), cgroup + "\n");
  }

  private void deleteProcess(long pid) throws IOException {
    Path dir = proc.resolve(Long.toString(pid));
    Files.delete(dir.resolve("stat"));
    Files.delete(dir.resolve("cgroup"));
    Files.delete(dir);
  }
}
