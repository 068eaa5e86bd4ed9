package dev.profileops.syncer.source.docker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Linux kernel version as Docker compares it for a seccomp rule's {@code minKernel}: only the
 * kernel and major revision count, so {@code 3.12.25-gentoo} and {@code 3.12-1-amd64} are both
 * {@code 3.12}.
 */
public record KernelVersion(int kernel, int major) implements Comparable<KernelVersion> {
  private static final Pattern RELEASE = Pattern.compile("^\\s*(\\d+)\\.(\\d+)");

  public KernelVersion {
    if (kernel < 0 || major < 0) {
      throw new IllegalArgumentException("negative kernel version " + kernel + "." + major);
    }
  }

  /**
   * Parses {@code "4.8"}, {@code "6.1.0-18-amd64"} and the like: two leading numbers separated by
   * a dot, anything after them ignored (as Docker's {@code "%d.%d"} scan does).
   *
   * @throws IllegalArgumentException when the text does not start with {@code N.N}
   */
  public static KernelVersion parse(String release) {
    if (release == null) {
      throw new IllegalArgumentException("no kernel version");
    }
    Matcher m = RELEASE.matcher(release);
    if (!m.find()) {
      throw new IllegalArgumentException("failed to parse kernel version \"" + release + "\"");
    }
    try {
      return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("failed to parse kernel version \"" + release + "\"", e);
    }
  }

  /** The kernel this JVM runs on ({@code os.version}, which on Linux is the uname release). */
  public static KernelVersion running() {
    return parse(System.getProperty("os.version"));
  }

  /** True when this version is the same as or newer than {@code minimum}. */
  public boolean atLeast(KernelVersion minimum) {
    return compareTo(minimum) >= 0;
  }

  @Override
  public int compareTo(KernelVersion other) {
    return kernel != other.kernel
        ? Integer.compare(kernel, other.kernel)
        : Integer.compare(major, other.major);
  }

  @Override
  public String toString() {
    return kernel + "." + major;
  }
}
