package dev.profileops.cli;

import dev.profileops.syncer.render.ObjectRenderer;
import dev.profileops.syncer.source.LoadResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code render DIR}: the cluster objects as a YAML stream, for {@code kubectl apply -f -} or an Argo CD
 * config management plugin. Nothing on stdout when anything is invalid, so a broken commit never
 * reaches the cluster half-applied.
 */
@Command(name = "render", description = "Print the cluster objects of DIR as a YAML stream.")
final class RenderCommand implements Callable<Integer> {

  @Mixin
  ProfileDirectory directory;

  @Override
  public Integer call() {
    LoadResult result = directory.load();
    if (result == null) {
      return 2;
    }
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
