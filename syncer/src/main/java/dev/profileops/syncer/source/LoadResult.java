package dev.profileops.syncer.source;

import dev.profileops.syncer.validate.Problem;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a profile repository holds: the objects read, every problem found, and the files that could
 * not be read as a whole (whose objects are unknown, so their last good versions must be kept).
 */
public record LoadResult(List<LoadedObject> objects, List<Problem> problems, Set<String> unreadableFiles) {

  public boolean hasErrors() {
    return problems.stream().anyMatch(Problem::isError);
  }

  public List<Problem> errors() {
    return problems.stream().filter(Problem::isError).toList();
  }

  public List<LoadedObject> validObjects() {
    return objects.stream().filter(LoadedObject::valid).toList();
  }

  /** Files with at least one error. */
  public Set<String> filesWithErrors() {
    return problems.stream().filter(Problem::isError).map(Problem::file).collect(Collectors.toSet());
  }
}
