package dev.profileops.syncer.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.profileops.host.seccomp.LibseccompSyscallTable;
import dev.profileops.syncer.render.ObjectRenderer;
import dev.profileops.syncer.validate.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A load that reuses the parse cache must give exactly what a full load gives, whatever the edits. */
class IncrementalLoadTest {
  private static final String[] ACTIONS = {"SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_ERRNO", "SCMP_ACT_BOGUS"};
  private static final String[] SYSCALLS = {"read", "write", "openat", "close", "mkdir", "not_a_syscall", "futex"};

  @TempDir Path repo;
  private final Random random = new Random(20261129);

  private String profile(int i) {
    String base = random.nextInt(4) == 0 ? "" : "  baseProfileName: p" + random.nextInt(12) + "\n";
    return "apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: p" + i + "\nspec:\n"
        + base + "  defaultAction: SCMP_ACT_ERRNO\n  syscalls:\n    - action: " + ACTIONS[random.nextInt(ACTIONS.length)]
        + "\n      names: [" + SYSCALLS[random.nextInt(SYSCALLS.length)] + ", " + SYSCALLS[random.nextInt(SYSCALLS.length)] + "]\n";
  }

  private void randomEdit() throws IOException {
    int i = random.nextInt(12);
    Path file = repo.resolve("dir" + (i % 3) + "/p" + i + ".yaml");
    switch (random.nextInt(5)) {
      case 0 -> Files.deleteIfExists(file);
      case 1 -> Files.writeString(file, "apiVersion: [broken");
      case 2 -> Files.writeString(repo.resolve("dup-" + random.nextInt(3) + ".yaml"), profile(random.nextInt(12)));
      default -> {
        Files.createDirectories(file.getParent());
        Files.writeString(file, profile(i));
      }
    }
  }

  private static String describe(LoadResult r) {
    ObjectRenderer renderer = new ObjectRenderer();
    String rendered = renderer.toYamlStream(renderer.render(r.validObjects(), new ObjectRenderer.Stamp("s", "rev")));
    List<String> lines = new ArrayList<>(r.problems().stream().map(Problem::toString).toList());
    lines.add("unreadable=" + new java.util.TreeSet<>(r.unreadableFiles()));
    lines.add("invalid=" + r.objects().stream().filter(o -> !o.valid()).map(LoadedObject::id).sorted().toList());
    return String.join("\n", lines) + "\n" + rendered;
  }

  @Test
  void cachedLoadsEqualFullLoadsOverRandomEdits() throws IOException {
    for (int i = 0; i < 12; i++) {
      Path file = repo.resolve("dir" + (i % 3) + "/p" + i + ".yaml");
      Files.createDirectories(file.getParent());
      Files.writeString(file, profile(i));
    }
    RepositoryLoader loader = new RepositoryLoader(LibseccompSyscallTable.load());
    ParseCache cache = new ParseCache();
    loader.load(repo, cache);
    int edits = 0;
    for (int round = 0; round < 60; round++) {
      int n = 1 + random.nextInt(3);
      for (int e = 0; e < n; e++) {
        randomEdit();
        edits++;
      }
      int missesBefore = cache.misses();
      LoadResult incremental = loader.load(repo, cache);
      LoadResult full = loader.load(repo);
      assertThat(describe(incremental)).as("round %d", round).isEqualTo(describe(full));
      // Only edited files were parsed again.
      assertThat(cache.misses() - missesBefore).isLessThanOrEqualTo(n);
    }
    assertThat(edits).isGreaterThan(60);
    try (Stream<Path> files = Files.walk(repo)) {
      assertThat(files.filter(Files::isRegularFile).count()).isPositive();
    }
  }
}
