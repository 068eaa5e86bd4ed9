package dev.profileops.cli;

import dev.profileops.host.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The embedded default: turns {@code repo-template/} into a local git repository, syncs it onto a node
 * root on this machine, and prints what was installed.
 */
@Command(name = "demo", description = "Sync the bundled repo-template (as a local git repo) onto a node root here.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--template", description = "Profile directory to import (default: repo-template/ of this checkout)")
  Path template;

  @Option(names = "--work-dir", defaultValue = ".profileops/demo", description = "Where the git repo and node root go")
  Path workDir;

  @Override
  public Integer call() throws IOException, GitAPIException {
    Path source = template != null ? template : Path.of(System.getenv().getOrDefault("PROFILEOPS_HOME", ".")).resolve("repo-template");
    if (!Files.isDirectory(source)) {
      System.err.println("error: no profile template at " + source + " (use --template DIR)");
      return 2;
    }
    Path repo = workDir.resolve("profile-repo").toAbsolutePath();
    Path nodeRoot = workDir.resolve("node").toAbsolutePath();
    importAsGitRepository(source, repo);
    System.out.println("profile repository: " + repo + " (git, branch main)");
    System.out.println("node root:          " + nodeRoot);
    int code = ProfileOpsCommand.execute("sync", "--repo", repo.toString(), "--ref", "main",
        "--node-root", nodeRoot.toString(), "--once");
    Path installed = nodeRoot.resolve("var/lib/kubelet/seccomp/operator");
    System.out.println("installed seccomp profiles (pods use localhostProfile: operator/<name>.json):");
    try (Stream<Path> files = Files.list(installed)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().startsWith(".")).sorted().toList()) {
        System.out.printf("  %-50s %6d bytes%n", nodeRoot.relativize(f), Files.size(f));
      }
    }
    list(nodeRoot, nodeRoot.resolve(SyncCommand.SELINUX_DIR), "SELinux CIL modules (pods use seLinuxOptions.type: <name>.process):");
    list(nodeRoot, nodeRoot.resolve(SyncCommand.APPARMOR_DIR), "AppArmor profiles (pods use appArmorProfile: {type: Localhost, localhostProfile: <name>}):");
    return code;
  }

  private static void list(Path nodeRoot, Path dir, String title) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    System.out.println(title);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
        System.out.printf("  %-50s %6d bytes%n", nodeRoot.relativize(f), Files.size(f));
      }
    }
  }

  /** A fresh repository holding one commit of the template, as a person would push it. */
  private static void importAsGitRepository(Path source, Path repo) throws IOException, GitAPIException {
    FileTrees.delete(repo);
    Files.createDirectories(repo);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(source)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      Path target = repo.resolve(source.relativize(f).toString());
      Files.createDirectories(target.getParent());
      Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
    }
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("Import profiles from repo-template").setAuthor("ProfileOps demo", "demo@profileops.invalid")
          .setCommitter("ProfileOps demo", "demo@profileops.invalid").setSign(false).call();
    }
  }
}
