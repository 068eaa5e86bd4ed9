package dev.profileops.cli;

import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.RepositoryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** The {@code DIR} argument of validate and render, and reading it. */
final class ProfileDirectory {
  @Parameters(index = "0", paramLabel = "DIR", description = "Directory of profile files")
  Path dir;

  /** The loaded directory, or null after saying why it could not be read. */
  LoadResult load() {
    if (!Files.isDirectory(dir)) {
      System.err.println(dir + ": not a directory");
      return null;
    }
    return new RepositoryLoader(Syscalls.load(System.err)).load(dir);
  }
}
