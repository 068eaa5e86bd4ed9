package dev.profileops.host.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a made-up /proc: the links and files are what the kernel shows. */
class ProcNamespacesTest {
  @TempDir
  Path proc;

  @Test
  void readsTheMountNamespaceAndCgroupsOfAProcess() throws IOException {
    process("42", "mnt:[4026532301]", "0::/system.slice/runc-abc.scope\n");

    ProcNamespaces namespaces = new ProcNamespaces(proc);

    assertThat(namespaces.mountNamespace(42)).hasValue(4026532301L);
    assertThat(namespaces.cgroups(42)).containsExactly("0::/system.slice/runc-abc.scope");
  }

  @Test
  void aProcessThatIsGoneHasNothing() {
    ProcNamespaces namespaces = new ProcNamespaces(proc);

    assertThat(namespaces.mountNamespace(7)).isEmpty();
    assertThat(namespaces.cgroups(7)).isEmpty();
  }

  @Test
  void theHostIsPidOnesNamespaceOrElseOurOwn() throws IOException {
    process("self", "mnt:[4026531832]", "");
    assertThat(new ProcNamespaces(proc).hostMountNamespace()).hasValue(4026531832L);

    process("1", "mnt:[4026531840]", "");
    assertThat(new ProcNamespaces(proc).hostMountNamespace()).hasValue(4026531840L);
  }

  private void process(String pid, String link, String cgroup) throws IOException {
    Path ns = Files.createDirectories(proc.resolve(pid).resolve("ns"));
    Files.createSymbolicLink(ns.resolve("mnt"), Path.of(link));
    Files.writeString(proc.resolve(pid).resolve("cgroup"), cgroup);
  }
}
