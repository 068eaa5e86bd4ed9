package dev.profileops.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one launcher: {@code ./profileops <command>}. */
@Command(name = "profileops", mixinStandardHelpOptions = true, version = "profileops 0.1.0",
    description = "GitOps for seccomp, SELinux and AppArmor profiles (the Security Profiles Operator API).",
    subcommands = {DemoCommand.class, ValidateCommand.class, RenderCommand.class, SyncCommand.class, ClusterSyncCommand.class,
        NodeDaemonCommand.class, ControllerCommand.class, RecordCommand.class, EnrichCommand.class, CommandLine.HelpCommand.class})
public final class ProfileOpsCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code; tests call this directly. */
  public static int execute(String... args) {
    return new CommandLine(new ProfileOpsCommand()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
