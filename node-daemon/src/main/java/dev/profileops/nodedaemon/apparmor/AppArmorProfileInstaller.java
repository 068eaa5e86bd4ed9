package dev.profileops.nodedaemon.apparmor;

import dev.profileops.api.apparmor.AppArmorRules;
import dev.profileops.host.apparmor.AppArmorParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts AppArmor profiles on a node: {@code <directory>/<name>} (usually
 * {@code /etc/apparmor.d/profileops}), compiled by {@code apparmor_parser} before it replaces the
 * installed file (a profile that does not compile never replaces a good one), then loaded (replace)
 * into the kernel and confirmed in {@code /sys/kernel/security/apparmor/profiles}. Where the kernel
 * has no AppArmor the profile is compiled and written, and the result says it could not be loaded and
 * why.
 */
public final class AppArmorProfileInstaller {
  /** How an install ended. */
  public enum State {
    /** Compiled, written, loaded and seen in the kernel's list. */
    Loaded,
    /** Compiled and written; the kernel cannot load it (the message says why). */
    CompiledNotLoaded,
    /** Not installed; the message has the parser's error. */
    Failed
  }

  public record Result(State state, String message) {}

  private final Path directory;
  private final AppArmorParser parser;

  public AppArmorProfileInstaller(Path directory, AppArmorParser parser) {
    this.directory = directory.toAbsolutePath().normalize();
    this.parser = parser;
  }

  public Path directory() {
    return directory;
  }

  public Path pathFor(String name) {
    AppArmorRules.nameProblem(name).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    return directory.resolve(name);
  }

  /** Compiles, writes and loads the rendered profile text of {@code name}. */
  public Result install(String name, String text) throws IOException {
    Path target = pathFor(name);
    if (!parser.available()) {
      return new Result(State.Failed, "cannot compile AppArmor profiles here: " + parser.unavailableReason());
    }
    Files.createDirectories(directory);
    Path temp = Files.createTempFile(directory, "." + name + ".", ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      AppArmorParser.Outcome compiled = parser.compile(temp);
      if (!compiled.ok()) {
        return new Result(State.Failed, "apparmor_parser refused the profile: " + compiled.message().replace(temp.toString(), name));
      }
      if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) || !Files.readString(target).equals(text)) {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    Optional<String> noKernel = parser.kernelUnavailableReason();
    if (noKernel.isPresent()) {
      return new Result(State.CompiledNotLoaded, "compiled and written to " + target + ", but could not be loaded: " + noKernel.get());
    }
    AppArmorParser.Outcome loaded = parser.load(target);
    if (!loaded.ok()) {
      return new Result(State.Failed, "compiled, but the kernel refused it: " + loaded.message());
    }
    Map<String, String> inKernel = parser.loadedProfiles();
    List<String> missing = AppArmorProfileText.declaredProfiles(text).stream().filter(p -> !inKernel.containsKey(p)).toList();
    if (!missing.isEmpty()) {
      return new Result(State.Failed, "apparmor_parser loaded the file, but the kernel does not list " + missing);
    }
    return new Result(State.Loaded, null);
  }

  /** Unloads (where the kernel has AppArmor) and deletes the profile; true when there was a file. */
  public boolean remove(String name) throws IOException {
    Path target = pathFor(name);
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (parser.kernelUnavailableReason().isEmpty()) {
      List<String> declared = AppArmorProfileText.declaredProfiles(Files.readString(target));
      if (declared.stream().anyMatch(parser.loadedProfiles()::containsKey)) {
        AppArmorParser.Outcome unloaded = parser.unload(target);
        if (!unloaded.ok()) {
          throw new IOException("could not unload AppArmor profile " + name + ": " + unloaded.message());
        }
      }
    }
    Files.delete(target);
    return true;
  }
}
