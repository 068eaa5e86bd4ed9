package dev.profileops.syncer.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.profileops.api.SpoApi;
import dev.profileops.api.apparmor.AppArmorProfile;
import dev.profileops.api.selinux.RawSelinuxProfile;
import dev.profileops.api.selinux.SelinuxProfile;
import dev.profileops.api.seccomp.SeccompProfile;
import dev.profileops.api.seccomp.SeccompProfileSpec;
import dev.profileops.host.seccomp.SyscallTable;
import dev.profileops.syncer.source.docker.DockerSeccompTemplate;
import dev.profileops.syncer.source.docker.KernelVersion;
import dev.profileops.syncer.validate.AppArmorProfileValidator;
import dev.profileops.syncer.validate.ObjectNames;
import dev.profileops.syncer.validate.Problem;
import dev.profileops.syncer.validate.SeccompProfileValidator;
import dev.profileops.syncer.validate.SelinuxProfileValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Reads one file of a profile repository into objects and problems. */
public final class ProfileFileReader {
  private final LocatedTreeReader trees = new LocatedTreeReader();
  private final LegacyVersionConverter legacy = new LegacyVersionConverter();
  private final ResourceBinder binder = new ResourceBinder();
  private final SeccompProfileValidator seccompValidator;
  private final SelinuxProfileValidator selinuxValidator = new SelinuxProfileValidator();
  private final AppArmorProfileValidator appArmorValidator = new AppArmorProfileValidator();
  private final SyscallTable syscalls;

  public ProfileFileReader(SyscallTable syscalls) {
    this.syscalls = syscalls;
    this.seccompValidator = new SeccompProfileValidator(syscalls);
  }

  /** What one file gave: objects (each marked valid or not), problems, and whether it was readable. */
  public record FileResult(List<LoadedObject> objects, List<Problem> problems, boolean readable) {}

  public FileResult readYaml(String file, String content) {
    List<LocatedDocument> docs;
    try {
      docs = trees.readYaml(content);
    } catch (IOException e) {
      return unreadable(file, e);
    }
    List<LoadedObject> objects = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (LocatedDocument doc : docs) {
      readDocument(file, doc, objects, problems);
    }
    return new FileResult(objects, problems, true);
  }

  /** A plain OCI seccomp JSON file (or Docker's template of one) becomes a SeccompProfile named after it. */
  public FileResult readSeccompJson(String file, String content) {
    LocatedDocument doc;
    try {
      List<LocatedDocument> docs = trees.readJson(content);
      if (docs.isEmpty() || !docs.get(0).root().isObject()) {
        return new FileResult(List.of(), List.of(Problem.warning(file, 1, "", "not a seccomp profile (no JSON object); skipped")), true);
      }
      doc = docs.get(0);
    } catch (IOException e) {
      return unreadable(file, e);
    }
    JsonNode root = doc.root();
    if (!root.has("defaultAction") && !root.has("syscalls")) {
      return new FileResult(List.of(), List.of(Problem.warning(file, doc.startLine(), "",
          "not a seccomp profile (no defaultAction or syscalls); skipped")), true);
    }
    List<Problem> problems = new ArrayList<>();
    String name = fileBaseName(file);
    ObjectNames.problemWith(name).ifPresent(p -> problems.add(Problem.error(file, 1, "metadata.name", "file name: " + p)));
    if (DockerSeccompTemplate.isTemplate(root)) {
      // Docker's template fields (archMap, includes, excludes) are resolved for this node's
      // architecture and kernel and Docker's default capabilities, as the Docker engine does.
      try {
        root = DockerSeccompTemplate.toOci(root, syscalls.available() ? syscalls.nativeArchitecture() : "x86_64",
            KernelVersion.running(), DockerSeccompTemplate.DEFAULT_CAPABILITIES);
      } catch (IllegalArgumentException e) {
        problems.add(Problem.error(file, doc.startLine(), "", "Docker seccomp template: " + e.getMessage()));
        return new FileResult(List.of(), problems, true);
      }
    }
    ResourceBinder.Bound<SeccompProfileSpec> bound = binder.bind(root, "", SeccompProfileSpec.class, doc, file);
    problems.addAll(bound.problems());
    if (bound.value() != null) {
      problems.addAll(seccompValidator.validate(bound.value(), doc, "", file));
    }
    SeccompProfile profile = new SeccompProfile();
    profile.setMetadata(new ObjectMetaBuilder().withName(name).build());
    profile.setSpec(bound.value());
    boolean valid = problems.stream().noneMatch(Problem::isError) && bound.value() != null;
    return new FileResult(List.of(new LoadedObject(SeccompProfile.KIND, name, profile, file, 1, doc, valid)), problems, true);
  }

  private void readDocument(String file, LocatedDocument doc, List<LoadedObject> objects, List<Problem> problems) {
    if (!(doc.root() instanceof ObjectNode root)) {
      problems.add(Problem.error(file, doc.startLine(), "", "a document must be a mapping"));
      return;
    }
    String apiVersion = root.path("apiVersion").asText("");
    String kind = root.path("kind").asText("");
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    Optional<ProfileKinds.KindInfo> info = ProfileKinds.find(kind);
    if (!SpoApi.GROUP.equals(group) || info.isEmpty()) {
      problems.add(Problem.warning(file, doc.startLine(), "kind",
          (kind.isEmpty() ? "no kind" : "kind " + kind) + " (" + (apiVersion.isEmpty() ? "no apiVersion" : apiVersion)
              + ") is not a profile kind; skipped"));
      return;
    }
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    List<Problem> own = new ArrayList<>();
    if (!SpoApi.VERSION.equals(version) && !info.get().legacyVersions().contains(version)) {
      own.add(Problem.error(file, doc.lineOf("/apiVersion"), "apiVersion",
          "version " + version + " of " + kind + " is not supported; use " + SpoApi.API_VERSION));
      problems.addAll(own);
      return;
    }
    legacy.toV1(kind, doc);
    root.remove("status");
    if (!info.get().namespaced() && root.path("metadata").isObject()) {
      // v1 profiles are cluster-scoped; older namespaced files still load, the namespace is ignored.
      ((ObjectNode) root.get("metadata")).remove("namespace");
    }
    ResourceBinder.Bound<? extends HasMetadata> bound = binder.bind(root, "", info.get().type(), doc, file);
    own.addAll(bound.problems());
    HasMetadata resource = bound.value();
    String name = resource != null && resource.getMetadata() != null ? resource.getMetadata().getName() : null;
    ObjectNames.problemWith(name).ifPresent(p -> own.add(Problem.error(file, doc.lineOf("/metadata/name"), "metadata.name", p)));
    if (resource instanceof SeccompProfile seccomp) {
      own.addAll(checkSpec(seccomp.getSpec(), doc, file, spec -> seccompValidator.validate(spec, doc, "/spec", file)));
    } else if (resource instanceof SelinuxProfile selinux) {
      own.addAll(checkSpec(selinux.getSpec(), doc, file, spec -> selinuxValidator.validate(name, spec, doc, file)));
    } else if (resource instanceof RawSelinuxProfile raw) {
      own.addAll(checkSpec(raw.getSpec(), doc, file, spec -> selinuxValidator.validateRaw(name, spec, doc, file)));
    } else if (resource instanceof AppArmorProfile appArmor) {
      own.addAll(checkSpec(appArmor.getSpec(), doc, file, spec -> appArmorValidator.validate(name, spec, doc, file)));
    }
    problems.addAll(own);
    if (resource != null && name != null) {
      boolean valid = own.stream().noneMatch(Problem::isError);
      objects.add(new LoadedObject(kind, name, resource, file, doc.startLine(), doc, valid));
    }
  }

  /** "spec is required" when the profile has none, else what {@code validator} finds in it. */
  private static <S> List<Problem> checkSpec(S spec, LocatedDocument doc, String file, Function<S, List<Problem>> validator) {
    return spec == null ? List.of(Problem.error(file, doc.lineOf("/spec"), "spec", "spec is required")) : validator.apply(spec);
  }

  private static FileResult unreadable(String file, IOException e) {
    int line = 1;
    String message = e.getMessage();
    if (e instanceof JsonProcessingException jpe) {
      if (jpe.getLocation() != null) {
        line = Math.max(1, jpe.getLocation().getLineNr());
      }
      message = jpe.getOriginalMessage();
    }
    return new FileResult(List.of(), List.of(Problem.error(file, line, "", "syntax: " + firstLine(message))), false);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String fileBaseName(String file) {
    String base = file.substring(file.lastIndexOf('/') + 1);
    return base.endsWith(".json") ? base.substring(0, base.length() - ".json".length()) : base;
  }
}
