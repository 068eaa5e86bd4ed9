package dev.profileops.nodedaemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
}
