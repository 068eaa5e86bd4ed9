package dev.profileops.cli;

import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.validate.Problem;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code validate DIR}: exit 0 when every file is valid, else 1 and one line per problem. */
@Command(name = "validate", description = "Check every profile file under DIR; one line per problem.")
final class ValidateCommand implements Callable<Integer> {

  @Mixin
  ProfileDirectory directory;

  @Override
  public Integer call() {
    LoadResult result = directory.load();
    if (result == null) {
      return 2;
    }
    for (Problem problem : result.problems()) {
      System.out.println(problem);
    }
    System.err.println(result.hasErrors()
        ? result.errors().size() + " error(s) in " + result.filesWithErrors().size() + " file(s)"
        : result.objects().size() + " object(s) valid");
    return result.hasErrors() ? 1 : 0;
  }
}
