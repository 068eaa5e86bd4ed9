package dev.profileops.nodedaemon.seccomp;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the profile files this daemon installed the way it installed them: when someone on the node
 * edits, replaces or deletes {@code <kubeletDir>/seccomp/operator/<name>.json}, the file gets the
 * expected bytes back within moments.
 *
 * <p>It wraps the {@link SeccompProfileInstaller} the reconciler writes through and remembers the bytes
 * of each name's last successful install (the last good state: a profile that later fails to render
 * keeps them, as its file does). A {@link WatchService} on the directory (inotify on Linux) reports
 * changes; a changed {@code <name>.json} of a remembered name is installed again from the remembered
 * bytes. The installer compares bytes first, so the events of the daemon's own atomic writes (temp file,
 * rename) find the file as expected and cause no further write: no loop. Files of names it does not
 * remember, foreign ones included, are never touched. A change of the ownership record
 * ({@value SeccompProfileInstaller#OWNED_FILE}) puts back the names missing from it.
 *
 * <p>Events can be lost (inotify queue overflow, or a directory replaced as a whole), so every file is
 * also checked on {@link WatchEvent.Kind OVERFLOW}, when the watch on the directory ends (it is then
 * recreated and watched again) and at a regular {@code resync} interval.
 *
 * <p>Restoring needs no API server and no reconcile: a file that differs is rewritten under the same
 * per-name lock as the reconciler's installs and removals of that name, so it never puts back bytes a
 * newer install replaced, nor a file that was just removed. The events of the daemon's own writes find
 * the file as expected with a read and a compare, outside any lock, and the ownership record is only
 * read again when the file on disk is not the one the installer last wrote. After a restart nothing is remembered until the first reconcile of a profile installs it
 * (that reconcile compares the file with the rendered bytes anyway).
 */
public final class SeccompFileGuard implements SeccompProfileFiles, AutoCloseable {
  /** How often every remembered file is checked even without events. */
  public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(60);

  private static final Logger log = LoggerFactory.getLogger(SeccompFileGuard.class);
  private static final String SUFFIX = ".json";
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final SeccompProfileInstaller installer;
  private final Duration resync;
  /** Name to the bytes of its last successful install; changed only under the name's lock. */
  private final Map<String, byte[]> expected = new ConcurrentHashMap<>();
  /** Per-name locks (striped): an install, removal or restore of one name at a time, others meanwhile. */
  private final Object[] nameLocks = new Object[64];

  private final Object lifecycle = new Object();
  private WatchService watchService;
  private Thread watcher;
  private boolean closed;
  /** The file key (inode) of the directory as it was when watched; used by the watcher thread only. */
  private Object watchedDirectory;

  public SeccompFileGuard(SeccompProfileInstaller installer) {
    this(installer, DEFAULT_RESYNC);
  }

  /** @param resync how often every remembered file is checked even without events */
  public SeccompFileGuard(SeccompProfileInstaller installer, Duration resync) {
    if (resync.isNegative() || resync.isZero()) {
      throw new IllegalArgumentException("the resync interval must be positive: " + resync);
    }
    this.installer = installer;
    this.resync = resync;
    Arrays.setAll(nameLocks, i -> new Object());
  }

  /** The watched directory, {@code <kubeletDir>/seccomp/operator}. */
  public Path directory() {
    return installer.directory();
  }

  @Override
  public InstallResult install(String name, byte[] json) throws IOException {
    byte[] bytes = json.clone();
    synchronized (lockFor(name)) {
      InstallResult result = installer.install(name, bytes);
      expected.put(name, bytes);
      return result;
    }
  }

  @Override
  public boolean remove(String name) throws IOException {
    synchronized (lockFor(name)) {
      // Forgotten first: a file that is not deleted now (the call throws) must not be put back either.
      expected.remove(name);
      return installer.remove(name);
    }
  }

  @Override
  public void claim(Collection<String> names) throws IOException {
    installer.claim(names);
  }

  @Override
  public Set<String> installedNames() throws IOException {
    return installer.installedNames();
  }

  @Override
  public Path pathFor(String name) {
    return installer.pathFor(name);
  }

  /**
   * Starts watching the directory (creating it when missing) on a daemon thread. When the watch cannot
   * be set up the periodic check still runs, and the watch is tried again at each one.
   */
  public void start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("closed");
      }
      if (watcher != null) {
        return;
      }
      try {
        watchService = directory().getFileSystem().newWatchService();
      } catch (IOException e) {
        throw new IllegalStateException("cannot create a watch service for " + directory(), e);
      }
      WatchService service = watchService;
      watcher = new Thread(() -> run(service), "seccomp-file-guard");
      watcher.setDaemon(true);
      watcher.start();
    }
  }

  /** Stops watching; waits a little for a check in progress to finish. */
  @Override
  public void close() {
    Thread thread;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      thread = watcher;
      if (watchService != null) {
        try {
          // Wakes the watcher thread: its poll throws ClosedWatchServiceException. No interrupt, which
          // would break a file write in the middle (interruptible channels close on interrupt).
          watchService.close();
        } catch (IOException e) {
          log.debug("Closing the watch service of {} failed", directory(), e);
        }
      }
    }
    if (thread != null && thread != Thread.currentThread()) {
      try {
        thread.join(STOP_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the watcher thread is running. */
  boolean isWatching() {
    synchronized (lifecycle) {
      return watcher != null && watcher.isAlive() && !closed;
    }
  }

  /**
   * Puts the file of a remembered name back when it no longer has the remembered bytes (or is missing
   * from the ownership record); true when the file was rewritten. Names not remembered are left alone.
   */
  boolean restore(String name) throws IOException {
    byte[] bytes = expected.get(name);
    // Most events are the daemon's own writes, which leave the file as expected: a read and a compare,
    // no lock that installs wait for.
    if (bytes == null || installer.isInstalledAs(name, bytes)) {
      return false;
    }
    synchronized (lockFor(name)) {
      // Again under the lock: an install or removal may have happened since.
      bytes = expected.get(name);
      if (bytes != null && installer.install(name, bytes) == InstallResult.Written) {
        log.warn("Seccomp profile file {} had been changed or removed on the node; restored it", installer.pathFor(name));
        return true;
      }
      return false;
    }
  }

  private Object lockFor(String name) {
    return nameLocks[Math.floorMod(name.hashCode(), nameLocks.length)];
  }

  /** Checks every remembered file; the number of files rewritten. */
  int checkAll() {
    int restored = 0;
    for (String name : rememberedNames()) {
      if (restoreQuietly(name)) {
        restored++;
      }
    }
    return restored;
  }

  private Set<String> rememberedNames() {
    return new TreeSet<>(expected.keySet());
  }

  private boolean restoreQuietly(String name) {
    try {
      return restore(name);
    } catch (IOException | RuntimeException e) {
      log.warn("Cannot restore seccomp profile file {}; trying again at the next change or check", name, e);
      return false;
    }
  }

  private void run(WatchService service) {
    WatchKey key = null;
    boolean watchedBefore = false;
    long nextCheck = System.nanoTime() + resync.toNanos();
    while (true) {
      try {
        if (key == null) {
          key = register(service);
          if (key != null && watchedBefore) {
            // The directory was removed or replaced: changes in between went unseen.
            checkAll();
          }
          watchedBefore |= key != null;
        }
        long wait = nextCheck - System.nanoTime();
        WatchKey signalled = wait > 0 ? service.poll(wait, TimeUnit.NANOSECONDS) : null;
        if (signalled == null) {
          if (System.nanoTime() - nextCheck >= 0) {
            if (key != null && !watchesDirectory(key)) {
              // Moved away and maybe recreated: the watch followed the old directory.
              key.cancel();
              key = null;
              continue;
            }
            checkAll();
            nextCheck = System.nanoTime() + resync.toNanos();
          }
          continue;
        }
        handle(signalled.pollEvents());
        if (!signalled.reset()) {
          // The directory is gone (or no longer the one watched); watch it again once recreated.
          key = null;
        }
      } catch (ClosedWatchServiceException e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("Watching {} failed; going on", directory(), e);
      }
    }
  }

  private boolean watchesDirectory(WatchKey key) {
    try {
      return key.isValid() && Objects.equals(watchedDirectory, fileKey());
    } catch (IOException e) {
      return false;
    }
  }

  private Object fileKey() throws IOException {
    return Files.readAttributes(directory(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
  }

  /** Watches the directory, creating it first; null when that fails (tried again at the next check). */
  private WatchKey register(WatchService service) {
    try {
      Files.createDirectories(directory());
      WatchKey key = directory().register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
      watchedDirectory = fileKey();
      return key;
    } catch (IOException e) {
      log.warn("Cannot watch {}; checking its files every {} instead", directory(), resync, e);
      return null;
    }
  }

  private void handle(List<WatchEvent<?>> events) {
    Set<String> names = new TreeSet<>();
    boolean recordChanged = false;
    for (WatchEvent<?> event : events) {
      if (event.kind() == OVERFLOW) {
        checkAll();
        return;
      }
      String file = ((Path) event.context()).getFileName().toString();
      if (file.equals(SeccompProfileInstaller.OWNED_FILE)) {
        recordChanged = true;
      } else if (file.endsWith(SUFFIX)) {
        // Our temp files end in .tmp and are skipped; names not remembered are skipped by restore.
        names.add(file.substring(0, file.length() - SUFFIX.length()));
      }
    }
    if (recordChanged) {
      names.addAll(missingFromRecord());
    }
    names.forEach(this::restoreQuietly);
  }

  private Set<String> missingFromRecord() {
    Set<String> missing = rememberedNames();
    try {
      missing.removeAll(installer.installedNames());
    } catch (IOException | RuntimeException e) {
      // Installs fail the same way until someone repairs the record; the reconciler reports that.
      log.warn("Cannot read the ownership record in {}", directory(), e);
      return Set.of();
    }
    return missing;
  }
}
