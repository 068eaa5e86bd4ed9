package dev.profileops.cli;

import dev.profileops.cli.local.KindSyncResult;
import dev.profileops.cli.local.LocalAppArmorSync;
import dev.profileops.cli.local.LocalNodeSync;
import dev.profileops.cli.local.LocalSelinuxSync;
import dev.profileops.cli.local.LocalSyncState;
import dev.profileops.host.apparmor.AppArmorParsers;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.selinux.ScratchPolicyStore;
import dev.profileops.nodedaemon.apparmor.AppArmorProfileInstaller;
import dev.profileops.nodedaemon.seccomp.SeccompProfileInstaller;
import dev.profileops.syncer.profilesource.Durations;
import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.RepositoryLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Local mode, no cluster: fetch a profile repository with JGit, validate it, and install its profiles
 * under a node root the way the node daemon does on a Kubernetes node: seccomp JSON under the kubelet
 * directory, SELinux CIL modules under {@value #SELINUX_DIR} (compile-checked with libsemanage against
 * a scratch copy of this machine's policy store), AppArmor profiles under {@value #APPARMOR_DIR}
 * (compiled with apparmor_parser; loaded only when the node root is {@code /} and the kernel has AppArmor).
 */
@Command(name = "sync", description = "Sync a profile repository onto this machine (local mode, no cluster).")
final class SyncCommand implements Callable<Integer> {
  static final String SELINUX_DIR = "var/lib/profileops/selinux";
  static final String APPARMOR_DIR = "etc/apparmor.d/profileops";

  private LocalSelinuxSync selinux;
  private LocalAppArmorSync appArmor;

  @Mixin
  RepositorySource source;

  @Option(names = "--node-root", required = true, description = "Root of the node's filesystem, e.g. / or a test dir")
  Path nodeRoot;

  @Option(names = "--once", description = "Sync once and exit (exit 1 when some files are invalid)")
  boolean once;

  @Option(names = "--interval", defaultValue = "30s", description = "Poll interval without --once, e.g. 30s, 5m")
  String interval;

  @Override
  public Integer call() throws Exception {
    SyscallTable syscalls = Syscalls.load(System.err);
    Path kubeletDir = nodeRoot.resolve(System.getenv().getOrDefault("KUBELET_DIR", "/var/lib/kubelet").replaceFirst("^/", ""));
    Path stateDir = nodeRoot.resolve("var/lib/profileops");
    LocalNodeSync sync = new LocalNodeSync(new SeccompProfileInstaller(kubeletDir));
    selinux = new LocalSelinuxSync(nodeRoot.resolve(SELINUX_DIR), () -> {
      try {
        return ScratchPolicyStore.copyOf(Path.of("/"), "default");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    appArmor = new LocalAppArmorSync(new AppArmorProfileInstaller(nodeRoot.resolve(APPARMOR_DIR),
        AppArmorParsers.forNodeRoot(nodeRoot)));
    Duration every = Durations.parse(interval, Duration.ofSeconds(30));
    while (true) {
      int code = syncOnce(syscalls, stateDir, sync);
      if (once) {
        return code;
      }
      Thread.sleep(every.toMillis());
    }
  }

  private int syncOnce(SyscallTable syscalls, Path stateDir, LocalNodeSync sync) throws java.io.IOException {
    RepositorySource.Checkout checkout = source.fetch(stateDir.resolve("sources").resolve(key()));
    if (checkout == null) {
      return 2;
    }
    LoadResult loaded = new RepositoryLoader(syscalls).load(checkout.profiles());
    Path stateFile = stateDir.resolve("local-sync-" + key() + ".json");
    LocalSyncState state = LocalSyncState.read(stateFile);
    System.out.println("revision " + checkout.commit());
    sync.apply(loaded, state).forEach(System.out::println);
    boolean failed = false;
    for (KindSyncResult result : List.of(selinux.apply(loaded), appArmor.apply(loaded))) {
      result.actions().forEach(System.out::println);
      result.errors().forEach(System.err::println);
      failed |= result.failed();
    }
    if (!loaded.hasErrors()) {
      state.applied(checkout.commit());
    }
    state.write(stateFile);
    loaded.problems().forEach(System.err::println);
    return loaded.hasErrors() || failed ? 1 : 0;
  }

  /** One clone per repository and ref. */
  private String key() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest((source.url() + "#" + source.ref).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
