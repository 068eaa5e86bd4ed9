package dev.profileops.syncer.source;

import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.syncer.validate.CrossObjectChecks;
import dev.profileops.syncer.validate.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads every profile file under a directory: each YAML document of a known kind, and plain OCI seccomp
 * JSON files. Hidden directories (.git) are skipped. Files are read in path order so output is stable.
 */
public final class RepositoryLoader {
  private final ProfileFileReader reader;
  private final CrossObjectChecks crossChecks = new CrossObjectChecks();

  public RepositoryLoader(SyscallTable syscalls) {
    this.reader = new ProfileFileReader(syscalls);
  }

  public LoadResult load(Path root) {
    List<LoadedObject> objects = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Set<String> unreadable = new HashSet<>();
    // Files are independent until the cross-object checks: read them on all cores, keep path order.
    List<Path> paths = profileFiles(root);
    List<ProfileFileReader.FileResult> results = paths.parallelStream()
        .map(path -> read(path, root.relativize(path).toString().replace('\\', '/')))
        .toList();
    for (int i = 0; i < paths.size(); i++) {
      String file = root.relativize(paths.get(i)).toString().replace('\\', '/');
      ProfileFileReader.FileResult result = results.get(i);
      objects.addAll(result.objects());
      problems.addAll(result.problems());
      if (!result.readable()) {
        unreadable.add(file);
      }
    }
    List<LoadedObject> checked = crossChecks.check(objects, problems);
    problems.sort(Comparator.comparing(Problem::file).thenComparingInt(Problem::line));
    return new LoadResult(checked, problems, unreadable);
  }

  private ProfileFileReader.FileResult read(Path path, String file) {
    String content;
    try {
      content = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path))).toString();
    } catch (CharacterCodingException e) {
      return new ProfileFileReader.FileResult(List.of(), List.of(Problem.error(file, 1, "", "file is not valid UTF-8")), false);
    } catch (IOException e) {
      return new ProfileFileReader.FileResult(List.of(), List.of(Problem.error(file, 1, "", "cannot read: " + e.getMessage())), false);
    }
    return file.toLowerCase(Locale.ROOT).endsWith(".json") ? reader.readSeccompJson(file, content) : reader.readYaml(file, content);
  }

  private static List<Path> profileFiles(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> root.relativize(p).toString().chars().noneMatch(c -> c == '\\')
              && !isHidden(root.relativize(p)))
          .filter(p -> {
            String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
            return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
          })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  private static boolean isHidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
