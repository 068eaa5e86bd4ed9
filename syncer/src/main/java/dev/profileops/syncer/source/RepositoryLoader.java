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
    return load(root, null);
  }

  /** As {@link #load(Path)}, re-parsing only the files whose bytes differ from the cache's. */
  public LoadResult load(Path root, ParseCache cache) {
    List<LoadedObject> objects = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Set<String> unreadable = new HashSet<>();
    // Files are independent until the cross-object checks: read them on all cores, keep path order.
    List<Path> paths = profileFiles(root);
    List<ProfileFileReader.FileResult> results = paths.parallelStream()
        .map(path -> read(path, root.relativize(path).toString().replace('\\', '/'), cache))
        .toList();
    if (cache != null) {
      cache.retainOnly(paths.stream().map(p -> root.relativize(p).toString().replace('\\', '/')).collect(java.util.stream.Collectors.toSet()));
    }
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

  private ProfileFileReader.FileResult read(Path path, String file, ParseCache cache) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      return new ProfileFileReader.FileResult(List.of(), List.of(Problem.error(file, 1, "", "cannot read: " + e.getMessage())), false);
    }
    ProfileFileReader.FileResult cached = cache == null ? null : cache.get(file, bytes);
    if (cached != null) {
      return cached;
    }
    ProfileFileReader.FileResult result = parse(file, bytes);
    if (cache != null) {
      cache.put(file, bytes, result);
    }
    return result;
  }

  private ProfileFileReader.FileResult parse(String file, byte[] bytes) {
    String content;
    try {
      content = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return new ProfileFileReader.FileResult(List.of(), List.of(Problem.error(file, 1, "", "file is not valid UTF-8")), false);
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
