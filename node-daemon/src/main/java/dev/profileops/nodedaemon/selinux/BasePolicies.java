package dev.profileops.nodedaemon.selinux;

/**
 * The CIL modules the node daemon installs itself: our own {@code container} base block (SPO's
 * profiles inherit it) and the permissive {@code selinuxrecording} policy used to record AVCs.
 *
 * <p>{@code container} is written for a distribution's reference policy, which has no container
 * template: it declares the process and socket types and puts the process into the attributes every
 * domain has ({@code domain}) and the role a container runs in ({@code system_r}), with the
 * permissions a process needs on itself. Only names every refpolicy-derived policy defines are used,
 * so it builds against Debian's {@code selinux-policy-default}. Where the distribution already
 * ships a {@code container} block (container-selinux), ours is not installed.
 */
public final class BasePolicies {
  /** Module name of our container template; the block inside is {@code container}. */
  public static final String CONTAINER_MODULE = "profileops-container";
  public static final String RECORDING_MODULE = "selinuxrecording";

  public static final String CONTAINER_CIL = """
      (block container
          (type process)
          (type socket)
          (roletype system_r process)
          (typeattributeset domain (process))
          (typeattributeset file_type (socket))
          (allow process process (process (fork sigchld sigkill sigstop signull signal getsched setsched getpgid setpgid getcap setcap getattr setrlimit)))
          (allow process process (fifo_file (ioctl read write getattr lock append open)))
          (allow process process (unix_stream_socket (create ioctl read write getattr setattr lock append bind connect listen accept getopt setopt shutdown)))
          (allow process process (unix_dgram_socket (create ioctl read write getattr setattr lock append bind connect getopt setopt shutdown)))
          (allow process process (tcp_socket (create ioctl read write getattr setattr lock append bind connect listen accept getopt setopt shutdown)))
          (allow process process (udp_socket (create ioctl read write getattr setattr lock append bind connect getopt setopt shutdown)))
          (allow process socket (sock_file (create open getattr setattr read write rename link unlink ioctl lock append)))
      )
      """;

  public static final String RECORDING_CIL = """
      (block selinuxrecording
          (blockinherit container)
          (typepermissive process)
      )
      """;

  private BasePolicies() {}
}
