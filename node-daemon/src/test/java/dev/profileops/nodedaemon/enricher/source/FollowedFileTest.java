package dev.profileops.nodedaemon.enricher.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowedFileTest {
  @TempDir Path dir;

  /**
   * The writer keeps writing while the reader polls; it only waits, before each rotation, for the
   * reader to have polled twice since the last one (a real log rotates far apart; a file rotated
   * away twice between two polls is gone before anyone could open it).
   */
  @Test
  void losesNoLineWhileAWriterRotatesTheFileUnderneath() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    Path log = dir.resolve("audit.log");
    Files.createFile(log);
    int total = 20_000;
    List<String> read = new ArrayList<>();
    try (FollowedFile followed = new FollowedFile(log, false)) {
      followed.poll((line, where) -> read.add(line));
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeRotating(log, total, 997, polls));
      while (!writer.isDone()) {
        followed.poll((line, where) -> read.add(line));
        polls.incrementAndGet();
      }
      writer.join();
      followed.poll((line, where) -> read.add(line));
    }

    assertThat(read).containsExactlyElementsOf(IntStream.range(0, total).mapToObj(FollowedFileTest::line).toList());
  }

  @Test
  void startsAtTheEndAndRereadsATruncatedFileFromItsStart() throws Exception {
    Path log = dir.resolve("audit.log");
    Files.writeString(log, "old 1\nold 2\n");
    List<String> read = new ArrayList<>();
    try (FollowedFile followed = new FollowedFile(log, false)) {
      assertThat(followed.poll((line, where) -> read.add(line))).isFalse();
      Files.writeString(log, "new 3\npart", StandardOpenOption.APPEND);
      assertThat(followed.poll((line, where) -> read.add(line))).as("lines read, though their numbers are unknown").isTrue();
      assertThat(read).containsExactly("new 3");
      Files.writeString(log, "ial 4\n", StandardOpenOption.APPEND);
      followed.poll((line, where) -> read.add(line));
      assertThat(read).containsExactly("new 3", "partial 4");

      Files.writeString(log, "x\n", StandardOpenOption.TRUNCATE_EXISTING);
      followed.poll((line, where) -> read.add(line + " @ " + where));
    }

    assertThat(read).containsExactly("new 3", "partial 4", "x @ " + log + ":1");
  }

  @Test
  void waitsForAFileThatDoesNotExistYetAndCutsOverlongLines() throws Exception {
    Path log = dir.resolve("later.log");
    List<String> read = new ArrayList<>();
    try (FollowedFile followed = new FollowedFile(log, true)) {
      assertThat(followed.poll((line, where) -> read.add(line))).isFalse();
      Files.writeString(log, "a".repeat(100_000) + "\nshort\n");
      followed.poll((line, where) -> read.add(line));
    }

    assertThat(read).hasSize(2);
    assertThat(read.get(0)).hasSize(16 * 1024 + 1);
    assertThat(read.get(1)).isEqualTo("short");
  }

  private static void writeRotating(Path log, int total, int linesPerFile, AtomicInteger polls) {
    try {
      int pollsAtRotation = polls.get();
      BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      for (int i = 0; i < total; i++) {
        out.write(line(i));
        out.write('\n');
        out.flush();
        if (i % linesPerFile == linesPerFile - 1) {
          out.close();
          while (polls.get() < pollsAtRotation + 2) {
            Thread.onSpinWait();
          }
          Files.move(log, dir(log).resolve("audit.log.1"), StandardCopyOption.REPLACE_EXISTING);
          out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
          pollsAtRotation = polls.get();
        }
      }
      out.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path dir(Path log) {
    return log.getParent();
  }

  private static String line(int i) {
    return "type=SECCOMP msg=audit(1700000000.000:" + i + "): pid=" + i + " syscall=1";
  }
}
