package dev.profileops.cli;

import dev.profileops.cli.record.PullRequestProfilePublisher;
import dev.profileops.cli.record.YamlProfilePublisher;
import dev.profileops.host.bpf.SyscallRecorder;
import dev.profileops.host.bpf.SyscallRecorders;
import dev.profileops.host.bpf.UnsupportedSyscallRecorder;
import dev.profileops.host.files.FileTrees;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.host.seccomp.SyscallTables;
import dev.profileops.host.seccomp.UnsupportedSyscallTable;
import dev.profileops.recorder.RecordedProfilePublisher;
import dev.profileops.recorder.bpf.RecordingToProfile;
import dev.profileops.recorder.local.LocalCommandRecording;
import dev.profileops.recorder.publish.PublishRequest;
import dev.profileops.recorder.publish.PullRequestTarget;
import dev.profileops.recorder.publish.RecordingPublisher;
import dev.profileops.syncer.forge.Forge;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code record [--out FILE] -- COMMAND...}: runs COMMAND in a mount namespace of its own, records its
 * syscalls with the BPF recorder, and prints (or writes) the SeccompProfile. Exit 2 when recording
 * cannot run here, with the reason; otherwise the command's own exit code.
 */
@Command(name = "record", description = {
    "Record the syscalls of COMMAND into a SeccompProfile (needs root and BPF).",
    "COMMAND runs in its own mount namespace (unshare --mount); the profile goes to stdout or --out FILE."})
final class RecordCommand implements Callable<Integer> {
  static final int CANNOT_RECORD = 2;
  static final String FORGE_TOKEN_ENV = "PROFILEOPS_FORGE_TOKEN";

  @Option(names = "--out", paramLabel = "FILE", description = "Write the profile here instead of stdout")
  Path out;

  @Option(names = "--recording", defaultValue = "local", description = "Recording name, the profile name's first part (default: ${DEFAULT-VALUE})")
  String recording;

  @Option(names = "--container", description = "Container name, the profile name's second part (default: the command's file name)")
  String container;

  @Option(names = "--repo", paramLabel = "URL", description = "Profile repository to propose the profile to (with --push)")
  String repo;

  @Option(names = "--push", description = "Push the profile to the branch profileops/recording/<recording>-<container> of --repo")
  boolean push;

  @Option(names = "--ref", defaultValue = "main", description = "The repository's default branch, compared against (default: ${DEFAULT-VALUE})")
  String ref;

  @Option(names = "--forge", paramLabel = "github|gitea|gitlab",
      description = "Open or update a pull request through this forge's API; its token from $" + FORGE_TOKEN_ENV)
  String forge;

  @Option(names = "--forge-api", paramLabel = "URL", description = "The forge's API base URL (default: derived from --repo)")
  String forgeApi;

  @Option(names = "--agit", description = "Push as an AGit refs/for/<branch> push (Gitea, Forgejo, Gerrit-style review without an API)")
  boolean agit;

  @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments, after --")
  List<String> command;

  @Override
  public Integer call() throws Exception {
    if (push != (repo != null)) {
      System.err.println("record: --repo and --push go together");
      return CANNOT_RECORD;
    }
    if (forge != null && System.getenv(FORGE_TOKEN_ENV) == null) {
      System.err.println("record: --forge " + forge + " needs the forge's token in $" + FORGE_TOKEN_ENV);
      return CANNOT_RECORD;
    }
    SyscallTable syscalls = SyscallTables.system();
    System.err.println("record: " + SyscallRecorders.libbpfVersion() + ", libseccomp " + syscalls.version());
    if (syscalls instanceof UnsupportedSyscallTable unsupported) {
      System.err.println("record: cannot name syscalls: " + unsupported.reason());
      return CANNOT_RECORD;
    }
    Optional<Path> unshare = findUnshare();
    if (unshare.isEmpty()) {
      System.err.println("record: unshare(1) is not installed (apt-get install util-linux)");
      return CANNOT_RECORD;
    }
    try (SyscallRecorder recorder = SyscallRecorders.system().start(syscalls, false)) {
      if (recorder instanceof UnsupportedSyscallRecorder unsupported) {
        System.err.println("record: BPF recording cannot run here: " + unsupported.reason());
        return CANNOT_RECORD;
      }
      Instant started = Instant.now();
      LocalCommandRecording.Result result =
          new LocalCommandRecording(recorder, syscalls, unshare.get().toString()).record(recording, containerName(), command);
      if (result.recorded().isEmpty()) {
        System.err.println("record: nothing recorded: " + String.join(" ", command) + " did not start (exit " + result.exitCode() + ")");
        return result.exitCode() == 0 ? 1 : result.exitCode();
      }
      RecordingToProfile.Result recorded = result.recorded().get();
      if (!recorded.unnamedNumbers().isEmpty()) {
        System.err.println("record: warning: libseccomp " + syscalls.version() + " cannot name syscall numbers "
            + recorded.unnamedNumbers() + "; they are not in the profile");
      }
      if (recorded.overflow()) {
        System.err.println("record: warning: syscall numbers beyond the recorder's bitmap were made and are not in the profile");
      }
      if (result.exitCode() != 0) {
        System.err.println("record: warning: " + String.join(" ", command) + " exited " + result.exitCode()
            + "; the profile holds what it did until then");
      }
      System.err.println("record: " + publisher(syscalls, started).publish(recorded.profile()) + " (" + recorded.syscalls().size() + " syscalls)");
      return result.exitCode();
    }
  }

  /** Where the profile goes: a pull-request branch with {@code --repo URL --push}, else a file or stdout. */
  RecordedProfilePublisher publisher(SyscallTable syscalls, Instant started) throws IOException {
    if (!push) {
      return out == null ? YamlProfilePublisher.toStdout(System.out) : YamlProfilePublisher.toFile(out);
    }
    String url = repo.contains("://") || !Files.isDirectory(Path.of(repo)) ? repo : Path.of(repo).toAbsolutePath().normalize().toString();
    Path work = Files.createTempDirectory("profileops-record-");
    // The clone is only needed for this one publish: gone when the command ends.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> FileTrees.deleteQuietly(work)));
    RecordingPublisher publisher = new RecordingPublisher(work, syscalls);
    return new PullRequestProfilePublisher(publisher, profile -> {
      PublishRequest.Builder builder = PublishRequest.builder(url, recording, containerName())
          .defaultBranch(ref)
          .nodes(List.of(hostName()));
      if (agit) {
        builder.pullRequest(new PullRequestTarget.AGit());
      } else if (forge != null) {
        builder.pullRequest(new PullRequestTarget.ForgeApi(Forge.fromName(forge), System.getenv(FORGE_TOKEN_ENV),
            Optional.ofNullable(forgeApi).map(URI::create)));
      }
      return builder;
    }, started);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private String containerName() {
    if (container != null) {
      return container;
    }
    String name = Path.of(command.get(0)).getFileName().toString().toLowerCase().replaceAll("[^a-z0-9-]", "-")
        .replaceAll("^-+|-+$", "");
    return name.isEmpty() ? "command" : name;
  }

  private static Optional<Path> findUnshare() {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "unshare");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
