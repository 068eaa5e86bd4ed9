package dev.profileops.nodedaemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard on its own, without an API server. */
class SeccompFileGuardTest {
  private static final byte[] PROFILE = "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NEWER_PROFILE = "{\"defaultAction\": \"SCMP_ACT_KILL\"}\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] EDITED = "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n".getBytes(StandardCharsets.UTF_8);
  private static final Duration RESTORED = Duration.ofSeconds(2);
  private static final FileTime PAST = FileTime.fromMillis(1_000_000_000_000L);

  @TempDir Path kubeletDir;

  private SeccompFileGuard guard;

  @AfterEach
  void stop() {
    if (guard != null) {
      guard.close();
    }
  }

  private SeccompFileGuard guard(Duration resync) {
    guard = new SeccompFileGuard(new SeccompProfileInstaller(kubeletDir), resync);
    return guard;
  }

  @Test
  void restoresTheLastInstalledBytes() throws IOException {
    SeccompFileGuard files = guard(Duration.ofHours(1));
    files.start();
    files.install("app", PROFILE);
    files.install("app", NEWER_PROFILE);
    Path file = files.pathFor("app");

    Files.write(file, EDITED);

    await().atMost(RESTORED).untilAsserted(() -> assertThat(file).hasBinaryContent(NEWER_PROFILE));
  }

  @Test
  void aCheckRewritesOnlyWhatDiffers() throws IOException {
    SeccompFileGuard files = guard(Duration.ofHours(1));
    files.install("app", PROFILE);
    files.install("web", PROFILE);
    Files.setLastModifiedTime(files.pathFor("web"), PAST);
    Files.write(files.pathFor("app"), EDITED);

    assertThat(files.checkAll()).isEqualTo(1);

    assertThat(files.pathFor("app")).hasBinaryContent(PROFILE);
    assertThat(Files.getLastModifiedTime(files.pathFor("web"))).isEqualTo(PAST);
    assertThat(files.checkAll()).isZero();
  }

  @Test
  void thePeriodicCheckRestoresWithoutAnyEvent() throws IOException {
    // Not started: nothing watches, as when inotify lost the events. A started guard with a short
    // resync interval and no events to go on must still restore.
    SeccompFileGuard files = guard(Duration.ofMillis(300));
    files.install("app", PROFILE);
    Path file = files.pathFor("app");
    Files.write(file, EDITED);
    assertThat(file).hasBinaryContent(EDITED);

    files.start();

    await().atMost(RESTORED).untilAsserted(() -> assertThat(file).hasBinaryContent(PROFILE));
  }

  @Test
  void aRemovedDirectoryComesBackWithItsFiles() throws IOException {
    SeccompFileGuard files = guard(Duration.ofHours(1));
    files.start();
    files.install("app", PROFILE);
    files.install("web", NEWER_PROFILE);
    Path directory = files.pathFor("app").getParent();

    // rm -rf, but without racing the guard for the directory's entries: moved away first.
    Path gone = Files.move(directory, directory.resolveSibling("gone"));
    try (var entries = Files.list(gone)) {
      for (Path entry : entries.toList()) {
        Files.delete(entry);
      }
    }
    Files.delete(gone);

    await().atMost(RESTORED).untilAsserted(() -> {
      assertThat(files.pathFor("app")).hasBinaryContent(PROFILE);
      assertThat(files.pathFor("web")).hasBinaryContent(NEWER_PROFILE);
      assertThat(files.installedNames()).containsExactlyInAnyOrder("app", "web");
    });
    // Watched again afterwards.
    Files.write(files.pathFor("app"), EDITED);
    await().atMost(RESTORED).untilAsserted(() -> assertThat(files.pathFor("app")).hasBinaryContent(PROFILE));
  }

  @Test
  void aDirectoryMovedAwayIsNoticedAtTheNextCheck() throws IOException {
    // The watch follows the moved directory and sees nothing change there; the periodic check notices.
    SeccompFileGuard files = guard(Duration.ofMillis(300));
    files.start();
    files.install("app", PROFILE);
    Path directory = files.pathFor("app").getParent();

    Files.move(directory, directory.resolveSibling("elsewhere"));

    await().atMost(RESTORED).untilAsserted(() -> assertThat(files.pathFor("app")).hasBinaryContent(PROFILE));
    Files.write(files.pathFor("app"), EDITED);
    await().atMost(RESTORED).untilAsserted(() -> assertThat(files.pathFor("app")).hasBinaryContent(PROFILE));
  }

  @Test
  void aDeletedOwnershipRecordIsWrittenAgain() throws IOException {
    SeccompFileGuard files = guard(Duration.ofHours(1));
    files.start();
    files.install("app", PROFILE);
    files.install("web", PROFILE);

    Files.delete(files.pathFor("app").resolveSibling(SeccompProfileInstaller.OWNED_FILE));

    await().atMost(RESTORED).untilAsserted(() -> assertThat(files.installedNames()).containsExactlyInAnyOrder("app", "web"));
  }

  @Test
  void removedAndForeignFilesAreLeftAlone() throws Exception {
    SeccompFileGuard files = guard(Duration.ofMillis(200));
    files.start();
    files.install("app", PROFILE);
    files.remove("app");
    Path file = files.pathFor("app");
    Path foreign = file.resolveSibling("foreign.json");

    Files.write(file, EDITED);
    Files.write(foreign, EDITED);
    Thread.sleep(600);

    assertThat(file).hasBinaryContent(EDITED);
    assertThat(foreign).hasBinaryContent(EDITED);
    assertThat(files.checkAll()).isZero();
  }

  @Test
  void stopsWatchingWhenClosed() throws Exception {
    SeccompFileGuard files = guard(Duration.ofMillis(200));
    files.start();
    files.install("app", PROFILE);
    assertThat(files.isWatching()).isTrue();

    files.close();

    assertThat(files.isWatching()).isFalse();
    Files.write(files.pathFor("app"), EDITED);
    Thread.sleep(500);
    assertThat(files.pathFor("app")).hasBinaryContent(EDITED);
  }
}
