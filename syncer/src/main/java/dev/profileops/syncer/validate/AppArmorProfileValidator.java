package dev.profileops.syncer.validate;

import dev.profileops.api.apparmor.AppArmorAbstract;
import dev.profileops.api.apparmor.AppArmorProfileSpec;
import dev.profileops.api.apparmor.AppArmorRules;
import dev.profileops.syncer.source.LocatedDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks one AppArmorProfile: the name (a file name on the node), every path against the strict
 * pattern (no '..', no globs outside '*' and '**', no line breaks that would inject rules),
 * capabilities against the allow-list, and that a raw policy from an older file declares a profile.
 */
public final class AppArmorProfileValidator {
  private static final Pattern DECLARES_PROFILE = Pattern.compile("(?m)^\\s*profile\\s+\\S+");

  public List<Problem> validate(String name, AppArmorProfileSpec spec, LocatedDocument doc, String file) {
    List<Problem> problems = new ArrayList<>();
    AppArmorRules.nameProblem(name).ifPresent(p -> add(problems, file, doc, "/metadata/name", p));
    AppArmorAbstract policy = spec.getAbstractPolicy();
    String raw = spec.getPolicy();
    if (policy != null && raw != null && !raw.isBlank()) {
      add(problems, file, doc, "/spec/policy", "give either abstract or policy, not both");
    }
    if (policy == null) {
      if (raw != null && !raw.isBlank() && !DECLARES_PROFILE.matcher(raw).find()) {
        add(problems, file, doc, "/spec/policy", "policy declares no profile (expected a line \"profile <name> ... {\")");
      } else if (raw != null && raw.indexOf('\0') >= 0) {
        add(problems, file, doc, "/spec/policy", "policy contains a NUL character");
      }
      return problems;
    }
    if (policy.getExecutable() != null) {
      paths(policy.getExecutable().getAllowedExecutables(), "/spec/abstract/executable/allowedExecutables", doc, file, problems);
      paths(policy.getExecutable().getAllowedLibraries(), "/spec/abstract/executable/allowedLibraries", doc, file, problems);
    }
    if (policy.getFilesystem() != null) {
      paths(policy.getFilesystem().getReadOnlyPaths(), "/spec/abstract/filesystem/readOnlyPaths", doc, file, problems);
      paths(policy.getFilesystem().getWriteOnlyPaths(), "/spec/abstract/filesystem/writeOnlyPaths", doc, file, problems);
      paths(policy.getFilesystem().getReadWritePaths(), "/spec/abstract/filesystem/readWritePaths", doc, file, problems);
    }
    if (policy.getCapability() != null) {
      List<String> caps = policy.getCapability().getAllowedCapabilities();
      for (int i = 0; i < caps.size(); i++) {
        String at = "/spec/abstract/capability/allowedCapabilities/" + i;
        AppArmorRules.capabilityProblem(caps.get(i)).ifPresent(p -> add(problems, file, doc, at, p));
      }
    }
    return problems;
  }

  private static void paths(List<String> paths, String pointer, LocatedDocument doc, String file, List<Problem> problems) {
    for (int i = 0; i < paths.size(); i++) {
      String at = pointer + "/" + i;
      AppArmorRules.pathProblem(paths.get(i)).ifPresent(p -> add(problems, file, doc, at, p));
    }
  }

  private static void add(List<Problem> problems, String file, LocatedDocument doc, String pointer, String message) {
    problems.add(Problem.error(file, doc.lineOf(pointer), LocatedDocument.fieldOf(pointer), message));
  }
}
