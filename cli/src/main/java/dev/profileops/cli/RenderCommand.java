package dev.profileops.cli;

import dev.profileops.syncer.render.ObjectRenderer;
import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.RepositoryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code render DIR}: the cluster objects as a YAML stream, for {@code kubectl apply -f -} or an Argo CD
 * config management plugin. Nothing on stdout when anything is invalid, so a broken commit never
 * reaches the cluster half-applied.
 */
@Command(name = "render", description = "Print the cluster objects of DIR as a YAML stream.")
final class RenderCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "Directory of profile files")
  Path dir;

  @Override
  public Integer call() {
    if (!Files.isDirectory(dir)) {
      System.err.println(dir + ": not a directory");
      return 2;
    }
    LoadResult result = new RepositoryLoader(Syscalls.load(System.err)).load(dir);
    result.problems().forEach(System.err::println);
    if (result.hasErrors()) {
      return 1;
    }
    ObjectRenderer renderer = new ObjectRenderer();
    System.out.print(renderer.toYamlStream(renderer.render(result.objects(), ObjectRenderer.Stamp.NONE)));
    System.out.flush();
    return 0;
  }
}
