package dev.profileops.cli.local;

import dev.profileops.api.SpoApi;
import dev.profileops.api.selinux.RawCilCheck;
import dev.profileops.api.selinux.RawSelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfileSpec;
import dev.profileops.host.selinux.ScratchPolicyStore;
import dev.profileops.nodedaemon.selinux.SelinuxCil;
import dev.profileops.nodedaemon.selinux.SelinuxPolicyInstaller;
import dev.profileops.syncer.source.LoadResult;
import dev.profileops.syncer.source.LoadedObject;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The local mode's SELinux half: writes each valid SelinuxProfile and RawSelinuxProfile of the
 * repository as {@code <name>.cil} into {@code <node root>/var/lib/profileops/selinux/} (a directory
 * of ours alone), removes the files of profiles gone from the repository, and keeps the last good file
 * of a profile that is now broken. When a module changed, every module is first built with
 * libsemanage against a scratch copy of this machine's policy store (the node root's store is never
 * changed): a module that does not compile is reported with the compiler's message and its last good
 * file stays.
 */
public final class LocalSelinuxSync {
  private final Path directory;
  private final Supplier<ScratchPolicyStore> scratchStore;

  /**
   * @param scratchStore a fresh scratch copy of a real store per compile check (the caller's
   *     {@code ScratchPolicyStore.copyOf(Path.of("/"), "default")}); its store may be unsupported
   */
  public LocalSelinuxSync(Path directory, Supplier<ScratchPolicyStore> scratchStore) {
    this.directory = directory;
    this.scratchStore = scratchStore;
  }

  public Path pathFor(String name) {
    return directory.resolve(name + ".cil");
  }

  public KindSyncResult apply(LoadResult loaded) throws IOException {
    List<LocalNodeSync.Action> actions = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Map<String, SelinuxProfileSpec> validSpecs = new HashMap<>();
    Map<String, LoadedObject> byName = new TreeMap<>();
    for (LoadedObject o : loaded.objects()) {
      if (o.resource() instanceof SelinuxProfile || o.resource() instanceof RawSelinuxProfile) {
        byName.putIfAbsent(o.name(), o);
        if (o.valid() && o.resource() instanceof SelinuxProfile p) {
          validSpecs.put(o.name(), p.getSpec());
        }
      }
    }
    SelinuxCil translator = new SelinuxCil(validSpecs::get);
    Map<String, String> wanted = new LinkedHashMap<>();
    Map<String, String> sourceFile = new HashMap<>();
    Set<String> keep = new HashSet<>();
    for (LoadedObject o : byName.values()) {
      if (!o.valid()) {
        keep.add(o.name());
        continue;
      }
      if (!enabled(o.resource()) || SpoApi.isPartial(o.resource())) {
        continue;
      }
      try {
        String cil = o.resource() instanceof SelinuxProfile p
            ? translator.translate(o.name(), p.getSpec())
            : RawCilCheck.wrap(o.name(), ((RawSelinuxProfile) o.resource()).getSpec().getPolicy());
        wanted.put(o.name(), cil);
        sourceFile.put(o.name(), o.file());
      } catch (IllegalArgumentException e) {
        keep.add(o.name());
        errors.add(o.file() + ": " + o.kind() + " " + o.name() + ": " + e.getMessage());
      }
    }
    Files.createDirectories(directory);
    Map<String, byte[]> changed = new LinkedHashMap<>();
    for (Map.Entry<String, String> module : wanted.entrySet()) {
      byte[] bytes = module.getValue().getBytes(StandardCharsets.UTF_8);
      Path file = pathFor(module.getKey());
      if (!Files.isRegularFile(file) || !java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
        changed.put(module.getKey(), bytes);
      }
    }
    // Only what builds reaches the node root; a module that does not keeps its last good file.
    Set<String> failed = changed.isEmpty() ? Set.of() : compileCheck(wanted, sourceFile, errors);
    for (String name : wanted.keySet()) {
      Path file = pathFor(name);
      if (failed.contains(name)) {
        keep.add(name);
        actions.add(new LocalNodeSync.Action("error", name, file));
      } else if (changed.containsKey(name)) {
        Path temp = Files.createTempFile(directory, "." + name + ".", ".tmp");
        Files.write(temp, changed.get(name));
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        actions.add(new LocalNodeSync.Action("written", name, file));
      } else {
        actions.add(new LocalNodeSync.Action("unchanged", name, file));
      }
    }
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".cil")).sorted().toList()) {
        String name = file.getFileName().toString().replaceFirst("\\.cil$", "");
        if (wanted.containsKey(name) && !failed.contains(name)) {
          continue;
        }
        if (keep.contains(name)) {
          if (!failed.contains(name)) {
            actions.add(new LocalNodeSync.Action("kept", name, file));
          }
        } else {
          Files.delete(file);
          actions.add(new LocalNodeSync.Action("removed", name, file));
        }
      }
    }
    return new KindSyncResult(actions, errors);
  }

  /**
   * Builds every wanted module in a scratch copy of the host's store, in one transaction (retried
   * without the bad ones); the names that do not build.
   */
  private Set<String> compileCheck(Map<String, String> modules, Map<String, String> sourceFile, List<String> errors)
      throws IOException {
    try (ScratchPolicyStore scratch = scratchStore.get()) {
      if (!scratch.store().available()) {
        errors.add("warning: SELinux modules written without a compile check: " + scratch.store().unavailableReason());
        return Set.of();
      }
      SelinuxPolicyInstaller installer = new SelinuxPolicyInstaller(scratch.store());
      installer.ensureBasePolicies();
      SelinuxPolicyInstaller.BatchResult result = installer.installAll(modules);
      result.errors().forEach((name, message) ->
          errors.add(sourceFile.get(name) + ": SELinux module " + name + " does not compile: " + message));
      return result.errors().keySet();
    }
  }

  private static boolean enabled(HasMetadata resource) {
    if (resource instanceof SelinuxProfile p) {
      return p.getSpec() != null && p.getSpec().enabled();
    }
    RawSelinuxProfile raw = (RawSelinuxProfile) resource;
    return raw.getSpec() != null && raw.getSpec().enabled();
  }
}
