package dev.profileops.host.kmsg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * {@code /dev/kmsg} through libc: opened non-blocking (Java's streams cannot), so the reader can tell
 * "no record now" from a record, and seeked to the end with {@code SEEK_END} when only new records
 * are wanted (see the kernel's Documentation/ABI/testing/dev-kmsg).
 */
public final class LibcKernelLog implements KernelLog {
  /** The calls we need; flag values are the generic Linux ones (x86_64, aarch64). */
  public interface LibC {
    @SaveError
    int open(String path, int flags);

    @SaveError
    long read(int fd, @Out byte[] buffer, long count);

    @SaveError
    long lseek(int fd, long offset, int whence);

    int close(int fd);
  }

  private static final int O_RDONLY = 0;
  private static final int O_NONBLOCK = 04000;
  private static final int O_CLOEXEC = 02000000;
  private static final int SEEK_END = 2;
  private static final int EAGAIN = 11;
  private static final int EINTR = 4;
  private static final int EPIPE = 32;
  /** The kernel refuses reads into buffers smaller than a record (at most 8 KiB with its dictionary). */
  private static final int RECORD_BUFFER = 16 * 1024;

  private final LibC libc;
  private final Runtime runtime;
  private final String path;
  private final byte[] buffer = new byte[RECORD_BUFFER];
  private int fd;
  private long lost;

  private LibcKernelLog(LibC libc, String path, int fd) {
    this.libc = libc;
    this.runtime = Runtime.getRuntime(libc);
    this.path = path;
    this.fd = fd;
  }

  /**
   * Opens the kernel log; {@code fromEnd} skips every record already in the ring.
   *
   * @throws IOException naming the path and errno when it cannot be opened (not root, no such device)
   */
  public static LibcKernelLog open(String path, boolean fromEnd) throws IOException {
    LibC libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
    Runtime runtime = Runtime.getRuntime(libc);
    int fd = libc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      throw new IOException("cannot open " + path + ": errno " + LastError.getLastError(runtime));
    }
    LibcKernelLog log = new LibcKernelLog(libc, path, fd);
    if (fromEnd && libc.lseek(fd, 0, SEEK_END) < 0) {
      int errno = LastError.getLastError(runtime);
      log.close();
      throw new IOException("cannot seek to the end of " + path + ": errno " + errno);
    }
    return log;
  }

  @Override
  public Optional<String> next() throws IOException {
    while (true) {
      if (fd < 0) {
        throw new IOException(path + " is closed");
      }
      long n = libc.read(fd, buffer, buffer.length);
      if (n > 0) {
        int end = 0;
        while (end < n && buffer[end] != '\n') {
          end++;
        }
        return Optional.of(new String(buffer, 0, end, StandardCharsets.UTF_8));
      }
      if (n == 0) {
        return Optional.empty();
      }
      int errno = LastError.getLastError(runtime);
      if (errno == EAGAIN) {
        return Optional.empty();
      } else if (errno == EPIPE) {
        lost++; // the ring overwrote records we had not read; the next read goes on after them
      } else if (errno != EINTR) {
        throw new IOException("cannot read " + path + ": errno " + errno);
      }
    }
  }

  @Override
  public long lost() {
    return lost;
  }

  @Override
  public void close() {
    if (fd >= 0) {
      libc.close(fd);
      fd = -1;
    }
  }
}
