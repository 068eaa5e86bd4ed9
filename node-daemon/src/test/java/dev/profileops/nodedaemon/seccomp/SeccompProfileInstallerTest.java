package dev.profileops.nodedaemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeccompProfileInstallerTest {
  private static final byte[] PROFILE = "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER_PROFILE = "{\"defaultAction\": \"SCMP_ACT_LOG\"}\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path kubeletDir;

  @Test
  void writesTheFileWhereTheKubeletLooks() throws IOException {
    SeccompProfileInstaller installer = new SeccompProfileInstaller(kubeletDir);

    assertThat(installer.install("nginx", PROFILE)).isEqualTo(InstallResult.Written);

    Path file = kubeletDir.resolve("seccomp/operator/nginx.json");
    assertThat(installer.pathFor("nginx")).isEqualTo(file.toAbsolutePath());
    assertThat(file).hasBinaryContent(PROFILE);
    assertThat(installer.installedNames()).containsExactly("nginx");
    assertThat(Files.list(file.getParent()).map(p -> p.getFileName().toString()))
        .as("no temp files left behind")
        .containsExactlyInAnyOrder("nginx.json", SeccompProfileInstaller.OWNED_FILE);
  }

  @Test
  void leavesTheFileAloneWhenTheBytesAreTheSame() throws IOException {
    SeccompProfileInstaller installer = new SeccompProfileInstaller(kubeletDir);
    installer.install("nginx", PROFILE);
    Path file = installer.pathFor("nginx");
    FileTime past = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(file, past);
    Object inode = Files.readAttributes(file, "unix:ino").get("ino");

    assertThat(installer.install("nginx", PROFILE.clone())).isEqualTo(InstallResult.Unchanged);

    assertThat(Files.getLastModifiedTime(file)).isEqualTo(past);
    assertThat(Files.readAttributes(file, "unix:ino").get("ino")).isEqualTo(inode);
  }

  @Test
  void replacesTheFileWhenTheBytesDiffer() throws IOException {
    SeccompProfileInstaller installer = new SeccompProfileInstaller(kubeletDir);
    installer.install("nginx", PROFILE);

    assertThat(installer.install("nginx", OTHER_PROFILE)).isEqualTo(InstallResult.Written);

    assertThat(installer.pathFor("nginx")).hasBinaryContent(OTHER_PROFILE);
  }

  @Test
  void removesOnlyFilesItInstalled() throws IOException {
    SeccompProfileInstaller installer = new SeccompProfileInstaller(kubeletDir);
    installer.install("nginx", PROFILE);
    Path foreign = kubeletDir.resolve("seccomp/operator/hand-made.json");
    Files.write(foreign, OTHER_PROFILE);

    assertThat(installer.remove("hand-made")).isFalse();
    assertThat(installer.remove("nginx")).isTrue();
    // A fresh installer reads the record from disk, like a restarted daemon.
    assertThat(new SeccompProfileInstaller(kubeletDir).remove("hand-made")).isFalse();

    assertThat(foreign).hasBinaryContent(OTHER_PROFILE);
    assertThat(installer.pathFor("nginx")).doesNotExist();
    assertThat(installer.installedNames()).isEmpty();
  }

  @Test
  void remembersItsFilesAcrossInstances() throws IOException {
    new SeccompProfileInstaller(kubeletDir).install("nginx", PROFILE);

    SeccompProfileInstaller restarted = new SeccompProfileInstaller(kubeletDir);

    assertThat(restarted.installedNames()).containsExactly("nginx");
    assertThat(restarted.remove("nginx")).isTrue();
    assertThat(restarted.pathFor("nginx")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "../etc/passwd", "a/b", "a..b", "..", "Upper", "-dash", "dot.", "under_score", ".hidden"})
  void refusesNamesThatAreNotDnsSubdomains(String name) {
    SeccompProfileInstaller installer = new SeccompProfileInstaller(kubeletDir);

    assertThatThrownBy(() -> installer.install(name, PROFILE)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> installer.remove(name)).isInstanceOf(IllegalArgumentException.class);
    assertThat(kubeletDir.resolve("seccomp")).doesNotExist();
  }

  @Test
  void claimsManyNamesInOneRecordWriteAndLeavesOthersAlone() throws IOException {
    SeccompProfileInstaller installer = new SeccompProfileInstaller(kubeletDir);
    installer.install("nginx", PROFILE);
    Path record = kubeletDir.resolve("seccomp/operator/" + SeccompProfileInstaller.OWNED_FILE);
    Object before = Files.readAttributes(record, BasicFileAttributes.class).fileKey();

    installer.claim(List.of("one", "two", "../escape", "nginx"));

    // A new record file (written atomically, once), holding every valid name, old and new.
    assertThat(Files.readAttributes(record, BasicFileAttributes.class).fileKey()).isNotEqualTo(before);
    assertThat(new SeccompProfileInstaller(kubeletDir).installedNames()).containsExactly("nginx", "one", "two");
    // Claimed is not installed: no file until install, and removal of a claimed name is allowed.
    assertThat(kubeletDir.resolve("seccomp/operator/one.json")).doesNotExist();
    assertThat(installer.remove("one")).isTrue();
    assertThat(installer.installedNames()).containsExactly("nginx", "two");
  }

  @Test
  void refusesOverlongNames() {
    assertThat(SeccompProfileInstaller.isValidName("a".repeat(253))).isTrue();
    assertThat(SeccompProfileInstaller.isValidName("a".repeat(254))).isFalse();
  }

  @Test
  void ignoresNamesSmuggledIntoTheRecord() throws IOException {
    SeccompProfileInstaller installer = new SeccompProfileInstaller(kubeletDir);
    installer.install("nginx", PROFILE);
    Path outside = kubeletDir.resolve("seccomp/victim.json");
    Files.write(outside, PROFILE);
    Files.writeString(installer.directory().resolve(SeccompProfileInstaller.OWNED_FILE),
        "{\"installed\": [\"nginx\", \"../victim\"]}\n");

    assertThat(installer.installedNames()).containsExactly("nginx");
    assertThat(outside).exists();
  }

  @Test
  void concurrentInstallsAllEndUpInTheRecordAndOnDisk() throws Exception {
    SeccompProfileInstaller installer = new SeccompProfileInstaller(kubeletDir);
    int names = 200;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<InstallResult>> results = new ArrayList<>();
      for (int i = 0; i < names; i++) {
        String name = "app-" + i;
        byte[] bytes = ("{\"name\": \"" + name + "\"}\n").getBytes(StandardCharsets.UTF_8);
        results.add(pool.submit(() -> installer.install(name, bytes)));
      }
      for (Future<InstallResult> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(InstallResult.Written);
      }
    } finally {
      pool.shutdownNow();
    }

    Set<String> expected = IntStream.range(0, names).mapToObj(i -> "app-" + i).collect(Collectors.toSet());
    assertThat(installer.installedNames()).containsExactlyInAnyOrderElementsOf(expected);
    // The record on disk, as a restarted installer reads it, has every name too.
    assertThat(new SeccompProfileInstaller(kubeletDir).installedNames()).containsExactlyInAnyOrderElementsOf(expected);
    for (String name : expected) {
      assertThat(installer.pathFor(name)).hasContent("{\"name\": \"" + name + "\"}\n");
    }
    try (var files = Files.list(installer.directory())) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList()).isEmpty();
    }
  }

  @Test
  void seesRecordChangesMadeByAnotherInstance() throws IOException {
    SeccompProfileInstaller installer = new SeccompProfileInstaller(kubeletDir);
    installer.install("nginx", PROFILE);
    installer.install("redis", PROFILE);

    assertThat(new SeccompProfileInstaller(kubeletDir).remove("nginx")).isTrue();

    // Not from a stale copy in memory: nginx is no longer ours, so it is not removed again.
    assertThat(installer.installedNames()).containsExactly("redis");
    Files.write(installer.pathFor("nginx"), PROFILE);
    assertThat(installer.remove("nginx")).isFalse();
    assertThat(installer.pathFor("nginx")).exists();
    assertThat(installer.isInstalledAs("redis", PROFILE)).isTrue();
    assertThat(installer.isInstalledAs("nginx", PROFILE)).isFalse();
  }
}
