package dev.profileops.cli;

import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.RepositoryLoader;
import dev.profileops.syncer.validate.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code validate DIR}: exit 0 when every file is valid, else 1 and one line per problem. */
@Command(name = "validate", description = "Check every profile file under DIR; one line per problem.")
final class ValidateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "Directory of profile files")
  Path dir;

  @Override
  public Integer call() {
    if (!Files.isDirectory(dir)) {
      System.err.println(dir + ": not a directory");
      return 2;
    }
    LoadResult result = new RepositoryLoader(Syscalls.load(System.err)).load(dir);
    for (Problem problem : result.problems()) {
      System.out.println(problem);
    }
    long profiles = result.objects().size();
    System.err.println(result.hasErrors()
        ? result.errors().size() + " error(s) in " + result.filesWithErrors().size() + " file(s)"
        : profiles + " object(s) valid");
    return result.hasErrors() ? 1 : 0;
  }
}
