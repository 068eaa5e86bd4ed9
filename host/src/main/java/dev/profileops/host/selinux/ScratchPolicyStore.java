package dev.profileops.host.selinux;

import dev.profileops.host.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A throwaway copy of a policy store ({@code var/lib/selinux} and {@code etc/selinux} of a root) in
 * a temporary directory, to build modules against a real policy without changing it: the local
 * sync's compile check, and benchmarks.
 */
public final class ScratchPolicyStore implements AutoCloseable {
  private final Path root;
  private final PolicyStore store;

  private ScratchPolicyStore(Path root, PolicyStore store) {
    this.root = root;
    this.store = store;
  }

  /** Copies the store of {@code sourceRoot} (usually {@code /}); the result's store may be unsupported, with the reason. */
  public static ScratchPolicyStore copyOf(Path sourceRoot, String storeName) throws IOException {
    PolicyStore source = PolicyStores.system(sourceRoot, storeName);
    Path root = Files.createTempDirectory("profileops-policy-");
    if (!source.available()) {
      return new ScratchPolicyStore(root, source);
    }
    copyTree(sourceRoot.resolve("var/lib/selinux"), root.resolve("var/lib/selinux"));
    copyTree(sourceRoot.resolve("etc/selinux"), root.resolve("etc/selinux"));
    return new ScratchPolicyStore(root, PolicyStores.system(root, storeName));
  }

  public PolicyStore store() {
    return store;
  }

  public Path root() {
    return root;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else if (!source.getFileName().toString().endsWith(".LOCK")) {
          // Lock files are the source's; libsemanage makes its own.
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    FileTrees.delete(root);
  }
}
