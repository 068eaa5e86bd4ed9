package dev.profileops.host.proc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * Fork events from the netlink process connector ({@code NETLINK_CONNECTOR}, group
 * {@code CN_IDX_PROC}, see linux/cn_proc.h), read on a daemon thread through libc. Needs root
 * (CAP_NET_ADMIN) and a kernel with CONFIG_PROC_EVENTS. Layouts are the little-endian ones of x86_64
 * and aarch64.
 */
public final class NetlinkProcessForks implements ProcessForks {
  /** The calls we need. */
  public interface LibC {
    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int bind(int fd, byte[] address, int length);

    @SaveError
    int setsockopt(int fd, int level, int name, byte[] value, int length);

    @SaveError
    long send(int fd, byte[] buffer, long length, int flags);

    @SaveError
    long recv(int fd, @Out byte[] buffer, long length, int flags);

    int close(int fd);

    int getpid();
  }

  private static final int AF_NETLINK = 16;
  private static final int SOCK_DGRAM = 2;
  private static final int NETLINK_CONNECTOR = 11;
  private static final int CN_IDX_PROC = 1;
  private static final int CN_VAL_PROC = 1;
  private static final int PROC_CN_MCAST_LISTEN = 1;
  private static final int PROC_CN_MCAST_IGNORE = 2;
  private static final int NLMSG_DONE = 3;
  private static final int PROC_EVENT_FORK = 1;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVTIMEO = 20;
  private static final int SO_RCVBUF = 8;
  private static final int EAGAIN = 11;
  private static final int EINTR = 4;
  private static final int ENOBUFS = 105;
  /** nlmsghdr (16) + cn_msg (20): where struct proc_event starts. */
  private static final int EVENT = 36;

  private final LibC libc;
  private final Runtime runtime;
  private final int fd;
  private final Listener listener;
  private final Thread reader;
  private volatile boolean closed;
  private volatile long lost;

  private NetlinkProcessForks(LibC libc, int fd, Listener listener) {
    this.libc = libc;
    this.runtime = Runtime.getRuntime(libc);
    this.fd = fd;
    this.listener = listener;
    this.reader = new Thread(this::read, "process-forks");
    reader.setDaemon(true);
  }

  /** Subscribes to fork events, or says why it cannot. */
  public static ProcessForks start(Listener listener) {
    LibC libc;
    try {
      libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return new UnsupportedProcessForks("libc could not be loaded: " + e.getMessage());
    }
    Runtime runtime = Runtime.getRuntime(libc);
    int fd = libc.socket(AF_NETLINK, SOCK_DGRAM, NETLINK_CONNECTOR);
    if (fd < 0) {
      return new UnsupportedProcessForks("no netlink connector socket: errno " + LastError.getLastError(runtime));
    }
    ByteBuffer address = little(12).putShort((short) AF_NETLINK).putShort((short) 0).putInt(0).putInt(CN_IDX_PROC);
    if (libc.bind(fd, address.array(), 12) < 0) {
      int errno = LastError.getLastError(runtime);
      libc.close(fd);
      return new UnsupportedProcessForks("cannot join the process connector group (needs root): errno " + errno);
    }
    ByteBuffer timeout = little(16).putLong(0).putLong(200_000); // 200 ms, so close() is noticed
    libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout.array(), 16);
    libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, little(4).putInt(4 << 20).array(), 4);
    if (libc.send(fd, control(libc.getpid(), PROC_CN_MCAST_LISTEN), 40, 0) < 0) {
      int errno = LastError.getLastError(runtime);
      libc.close(fd);
      return new UnsupportedProcessForks("the process connector refused to send events: errno " + errno);
    }
    NetlinkProcessForks forks = new NetlinkProcessForks(libc, fd, listener);
    forks.reader.start();
    return forks;
  }

  private static byte[] control(int pid, int operation) {
    ByteBuffer message = little(40);
    message.putInt(40).putShort((short) NLMSG_DONE).putShort((short) 0).putInt(0).putInt(pid); // nlmsghdr
    message.putInt(CN_IDX_PROC).putInt(CN_VAL_PROC).putInt(0).putInt(0).putShort((short) 4).putShort((short) 0); // cn_msg
    message.putInt(operation);
    return message.array();
  }

  private void read() {
    byte[] buffer = new byte[8192];
    ByteBuffer view = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
    while (!closed) {
      long n = libc.recv(fd, buffer, buffer.length, 0);
      if (n < 0) {
        int errno = LastError.getLastError(runtime);
        if (errno == ENOBUFS) {
          lost++;
        } else if (errno != EAGAIN && errno != EINTR) {
          return; // closed under us
        }
        continue;
      }
      // one netlink message per datagram: nlmsghdr, cn_msg, proc_event
      if (n >= EVENT + 32 && view.getInt(EVENT) == PROC_EVENT_FORK) {
        int parentTgid = view.getInt(EVENT + 20);
        int childPid = view.getInt(EVENT + 24);
        int childTgid = view.getInt(EVENT + 28);
        if (childPid == childTgid) {
          listener.forked(parentTgid, childTgid);
        }
      }
    }
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public String reason() {
    return "";
  }

  @Override
  public long lost() {
    return lost;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    libc.send(fd, control(libc.getpid(), PROC_CN_MCAST_IGNORE), 40, 0);
    try {
      reader.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    libc.close(fd);
  }

  private static ByteBuffer little(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
