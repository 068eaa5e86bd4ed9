package dev.profileops.host.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.testsupport.Prerequisites;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tracked-only mode records nothing but the namespaces user space names. */
class TrackedOnlyRecorderTest {

  @Test
  void recordsOnlyTrackedNamespaces() throws Exception {
    SyscallTable table = SyscallTables.system();
    Prerequisites.require(SyscallRecorders.system().unsupportedReason(table));
    try (SyscallRecorder recorder = SyscallRecorders.system().start(table, true)) {
      Prerequisites.require(recorder instanceof UnsupportedSyscallRecorder u ? Optional.of(u.reason()) : Optional.empty());
      // The shell waits on its stdin, so its namespace can be read and tracked before it execs true.
      Process tracked = new ProcessBuilder("unshare", "--mount", "sh", "-c", "read go; exec true").start();
      long namespace = awaitOwnNamespace(tracked.pid());
      recorder.track(namespace);
      // While the tracked namespace lives, no other can have its inode number.
      Process untracked = new ProcessBuilder("unshare", "--mount", "true").start();
      assertThat(untracked.waitFor(30, TimeUnit.SECONDS)).isTrue();
      tracked.getOutputStream().write("go\n".getBytes());
      tracked.getOutputStream().close();
      assertThat(tracked.waitFor(30, TimeUnit.SECONDS)).isTrue();
      Process later = new ProcessBuilder("unshare", "--mount", "true").start();
      assertThat(later.waitFor(30, TimeUnit.SECONDS)).isTrue();

      assertThat(recorder.recordings()).noneMatch(r -> r.firstPid() == untracked.pid());
      assertThat(recorder.recordings()).anyMatch(r -> r.mountNamespace() == namespace && r.firstPid() == tracked.pid());
      assertThat(recorder.recordings()).as("the request was used up").noneMatch(r -> r.firstPid() == later.pid());
    }
  }

  /** The namespace of a process once unshare(1) has moved it into its own. */
  private static long awaitOwnNamespace(long pid) throws InterruptedException {
    ProcNamespaces proc = ProcNamespaces.system();
    long own = proc.ownMountNamespace().orElseThrow();
    for (int i = 0; i < 3000; i++) {
      long namespace = proc.mountNamespace(pid).orElseThrow();
      if (namespace != own) {
        return namespace;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("process " + pid + " never left the recorder's mount namespace");
  }
}
