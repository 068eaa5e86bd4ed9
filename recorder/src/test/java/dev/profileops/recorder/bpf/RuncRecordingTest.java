package dev.profileops.recorder.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.profileops.api.seccomp.SeccompArch;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.host.bpf.MountNamespaceRecording;
import dev.profileops.host.bpf.ProcNamespaces;
import dev.profileops.host.bpf.SyscallRecorder;
import dev.profileops.host.bpf.SyscallRecorders;
import dev.profileops.host.bpf.UnsupportedSyscallRecorder;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.testsupport.Prerequisites;
import dev.profileops.testsupport.RuncContainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole loop with real parts: record a busybox container under runc with the BPF recorder, then
 * run the same container confined by the recorded profile (default action ERRNO).
 */
class RuncRecordingTest {
  /** Uses files, a pipe and a child process; no chmod. */
  private static final String[] SCRIPT = {
    "mkdir -p /tmp/work", "echo recorded > /tmp/work/file", "cat /tmp/work/file", "ls /tmp/work | cat"};

  private static SyscallTable table;
  private static SyscallRecorder recorder;
  private static RuncContainer containers;

  @BeforeAll
  static void start() {
    RuncContainer.assumeAvailable();
    table = SyscallTables.system();
    Prerequisites.require(SyscallRecorders.system().unsupportedReason(table));
    recorder = SyscallRecorders.system().start(table, false);
    Prerequisites.require(recorder instanceof UnsupportedSyscallRecorder u ? Optional.of(u.reason()) : Optional.empty());
    containers = RuncContainer.create().withApplets("chmod", "chroot");
  }

  @AfterAll
  static void stop() {
    if (recorder != null) {
      recorder.close();
    }
  }

  @Test
  void aContainerRunsUnderItsRecordedProfileAndIsDeniedWhatItDidNotDo() throws Exception {
    RecordingToProfile.Result recorded = record(SCRIPT);

    assertThat(recorded.syscalls()).contains("execve", "openat", "write", "mkdir", "pipe2", "wait4");
    assertThat(recorded.syscalls()).doesNotContain("pivot_root", "mount", "seccomp", "chmod", "fchmodat");
    assertThat(recorded.unnamedNumbers()).isEmpty();
    assertThat(recorded.profile().getSpec().getArchitectures())
        .containsExactly(SeccompArch.valueOf("SCMP_ARCH_" + table.nativeArchitecture().toUpperCase()));

    ObjectNode filter = ociSeccomp(recorded.profile().getSpec());
    for (int i = 0; i < 5; i++) {
      RuncContainer.Result confined = containers.runWithSeccomp("confined", filter, SCRIPT);
      assertThat(confined.succeeded()).as("run %d: %s\nprofile %s", i, confined, filter).isTrue();
      assertThat(confined.stdout()).isEqualTo("recorded\nfile\n");
    }
    List<String> chmod = new ArrayList<>(List.of(SCRIPT));
    chmod.add("chmod 600 /tmp/work/file");
    RuncContainer.Result denied = containers.runWithSeccomp("denied", filter, chmod.toArray(String[]::new));
    assertThat(denied.exitCode()).as("%s", denied).isNotZero();
    assertThat(denied.stderr()).contains("chmod").contains("Operation not permitted");
  }

  /** A workload that makes almost no syscalls of its own: what runc needs after loading the filter shows. */
  @Test
  void theRuntimeHandoverSetIsEnoughForRuncToStartTheWorkload() throws Exception {
    RecordingToProfile.Result recorded = record("exit 0");
    ObjectNode filter = ociSeccomp(recorded.profile().getSpec());

    for (int i = 0; i < 10; i++) {
      RuncContainer.Result confined = containers.runWithSeccomp("handover", filter, "exit 0");
      assertThat(confined.succeeded()).as("run %d: %s\nprofile %s", i, confined, filter).isTrue();
    }
  }

  @Test
  void theShortLivedProcessesOfAContainerLandInItsOneRecording() throws Exception {
    RecordingToProfile.Result recorded = record(
        "touch /tmp/f", "i=0", "while [ $i -lt 1000 ]; do (true); i=$((i+1)); done", "(chmod 600 /tmp/f)");

    assertThat(recorded.syscalls()).as("the last of 1,001 subshells").contains("chmod");
  }

  @Test
  void otherProcessesOnTheHostDuringTheRecordingDoNotLeakIntoIt() throws Exception {
    List<Process> others = new ArrayList<>();
    RecordingToProfile.Result recorded = record(() -> {
      // chroot(2) on the host and in another mount namespace, while the container runs
      others.add(new ProcessBuilder("chroot", "/", "/bin/true").start());
      others.add(new ProcessBuilder("unshare", "--mount", "chroot", "/", "/bin/true").start());
    }, "sleep 0.2", "echo done");
    for (Process other : others) {
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(other.exitValue()).isZero();
    }

    assertThat(recorded.syscalls()).contains("clock_nanosleep").doesNotContain("chroot");
    MountNamespaceRecording other = recorder.recordings().stream()
        .filter(r -> r.firstPid() == others.get(1).pid()).findFirst().orElseThrow();
    assertThat(table.name(table.nativeArchitecture(), other.syscallNumbers().nextSetBit(0))).isPresent();
    assertThat(other.syscallNumbers().get(table.number(table.nativeArchitecture(), "chroot").orElseThrow()))
        .as("the other namespace's own recording has it").isTrue();
    recorder.forget(other);
  }

  private static RecordingToProfile.Result record(String... script) throws Exception {
    return record(() -> {}, script);
  }

  interface WhileCreated {
    void run() throws Exception;
  }

  private static RecordingToProfile.Result record(WhileCreated alongside, String... script) throws Exception {
    AtomicLong namespace = new AtomicLong();
    AtomicLong initPid = new AtomicLong();
    RuncContainer.Result run = containers.runObserved("recorded", null, pid -> {
      initPid.set(pid);
      namespace.set(ProcNamespaces.system().mountNamespace(pid).orElseThrow());
      alongside.run();
    }, script);
    assertThat(run.succeeded()).as("%s", run).isTrue();
    MountNamespaceRecording seen = recorder.recording(namespace.get(), initPid.get())
        .orElseThrow(() -> new AssertionError("nothing recorded for mount namespace " + namespace + " pid " + initPid
            + " in " + recorder.recordings()));
    recorder.forget(seen);
    return new RecordingToProfile(table).convert("test", "busybox", seen);
  }

  /** The runtime-spec linux.seccomp object of a recorded profile's spec. */
  private static ObjectNode ociSeccomp(SeccompProfileSpec spec) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode filter = json.createObjectNode();
    filter.put("defaultAction", spec.getDefaultAction().name());
    spec.getArchitectures().forEach(arch -> filter.withArray("architectures").add(arch.name()));
    spec.getSyscalls().forEach(rule -> {
      ObjectNode entry = filter.withArray("syscalls").addObject();
      rule.getNames().forEach(entry.withArray("names")::add);
      entry.put("action", rule.getAction().name());
    });
    return filter;
  }
}
