package dev.profileops.api.selinux;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a SelinuxProfile may say, shared by validation (syncer) and installation (node daemon): name
 * patterns, the System policies that may be inherited, and the deny-list of types, classes and
 * permissions that would hand a container the host.
 */
public final class SelinuxPolicyRules {
  public static final String SELF = "@self";
  public static final String CONTAINER = "container";
  public static final Pattern TYPE_KEY = Pattern.compile("^([a-zA-Z0-9.\\-_]+|@self)$");
  public static final Pattern CLASS_OR_PERMISSION = Pattern.compile("^[a-zA-Z0-9.\\-_]+$");
  /**
   * Profile names become CIL block and module names: CIL reads a dot as a namespace separator and
   * libsemanage wants a letter first, so a stricter form than a Kubernetes name.
   */
  public static final Pattern PROFILE_NAME = Pattern.compile("^[a-z][a-z0-9-]{0,99}$");

  public static final Set<String> DEFAULT_SYSTEM_INHERITS = Set.of(CONTAINER);
  public static final Set<String> DENIED_TYPES = Set.of("kernel_t", "kmem_t", "security_t", "shadow_t");
  public static final Set<String> DENIED_CLASSES = Set.of("capability", "capability2", "security", "system");
  public static final Set<String> DENIED_PERMISSIONS = Set.of("load_policy", "mac_admin", "mounton", "relabelto",
      "relabelfrom", "setbool", "setenforce", "setsecparam");

  private SelinuxPolicyRules() {}

  /** Why the name cannot be an SELinux profile's, if it cannot. */
  public static Optional<String> nameProblem(String name) {
    if (name == null || PROFILE_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.of("an SELinux profile name becomes a CIL block and module name: lower-case letters, digits and '-', "
        + "starting with a letter, at most 100 characters (CIL reads '.' as a namespace separator); found \"" + name + "\"");
  }

  /** The string pods put in {@code seLinuxOptions.type}. */
  public static String usage(String profileName) {
    return profileName + ".process";
  }

  public static Optional<String> typeProblem(String type) {
    if (!TYPE_KEY.matcher(type).matches()) {
      return Optional.of("\"" + type + "\" is not a type name (letters, digits, '.', '-', '_') or @self");
    }
    if (DENIED_TYPES.contains(type)) {
      return Optional.of("access to type " + type + " is not allowed (deny-list: " + String.join(", ", sorted(DENIED_TYPES)) + ")");
    }
    return Optional.empty();
  }

  public static Optional<String> classProblem(String objectClass) {
    if (!CLASS_OR_PERMISSION.matcher(objectClass).matches()) {
      return Optional.of("\"" + objectClass + "\" is not an object class name");
    }
    if (DENIED_CLASSES.contains(objectClass)) {
      return Optional.of("object class " + objectClass + " is not allowed (deny-list: " + String.join(", ", sorted(DENIED_CLASSES)) + ")");
    }
    return Optional.empty();
  }

  public static Optional<String> permissionProblem(String permission) {
    if (permission == null || !CLASS_OR_PERMISSION.matcher(permission).matches()) {
      return Optional.of("\"" + permission + "\" is not a permission name");
    }
    if (DENIED_PERMISSIONS.contains(permission)) {
      return Optional.of("permission " + permission + " is not allowed (deny-list: "
          + String.join(", ", sorted(DENIED_PERMISSIONS)) + ")");
    }
    return Optional.empty();
  }

  private static java.util.List<String> sorted(Set<String> set) {
    return set.stream().sorted().toList();
  }
}
