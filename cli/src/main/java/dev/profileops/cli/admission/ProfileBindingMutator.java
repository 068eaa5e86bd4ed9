package dev.profileops.cli.admission;

import dev.profileops.api.binding.ProfileBinding;
import dev.profileops.api.binding.ProfileBindingSpec;
import dev.profileops.api.common.LabelSelectorMatcher;
import dev.profileops.api.common.ProfileKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the ProfileBindings of a namespace do to a pod being created: each binding whose {@code image}
 * is the container's image (or {@code *}) and whose {@code podSelector} (when set) selects the pod
 * sets that container's seccomp profile ({@code Localhost}, {@code operator/<name>.json}), SELinux
 * type ({@code <name>.process}) or AppArmor profile ({@code Localhost}, {@code <name>}). A field the
 * pod's author set already is left alone, and so is a binding whose profile does not exist or is
 * disabled (a warning says so): the pod is never refused here.
 */
public final class ProfileBindingMutator {

  /** Whether an enabled profile of that kind and name exists in the cluster. */
  public interface Profiles {
    boolean enabled(ProfileKind kind, String name);
  }

  private final Profiles profiles;

  public ProfileBindingMutator(Profiles profiles) {
    this.profiles = profiles;
  }

  public PodMutation mutate(Pod pod, List<ProfileBinding> bindings) {
    List<Map<String, Object>> patch = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    // Same order every time, so that two bindings for one field always resolve the same way.
    List<ProfileBinding> ordered = bindings.stream()
        .filter(b -> b.getSpec() != null && b.getSpec().getProfileRef() != null && b.getSpec().getImage() != null)
        .sorted(Comparator.comparing(b -> b.getMetadata().getName()))
        .toList();
    mutateContainers(pod, "initContainers", pod.getSpec().getInitContainers(), ordered, patch, warnings);
    mutateContainers(pod, "containers", pod.getSpec().getContainers(), ordered, patch, warnings);
    return new PodMutation(patch, warnings);
  }

  private void mutateContainers(Pod pod, String field, List<Container> containers, List<ProfileBinding> bindings,
      List<Map<String, Object>> patch, List<String> warnings) {
    for (int i = 0; i < containers.size(); i++) {
      Container container = containers.get(i);
      Map<String, Object> context = container.getSecurityContext() == null ? new LinkedHashMap<>()
          : new LinkedHashMap<String, Object>(Serialization.unmarshal(Serialization.asJson(container.getSecurityContext()), Map.class));
      boolean changed = false;
      for (ProfileBinding binding : bindings) {
        ProfileBindingSpec spec = binding.getSpec();
        if (!appliesTo(spec, pod, container)) {
          continue;
        }
        ProfileKind kind = spec.getProfileRef().getKind();
        String name = spec.getProfileRef().getName();
        String bindingName = "ProfileBinding " + binding.getMetadata().getName();
        if (!profiles.enabled(kind, name)) {
          warnings.add(bindingName + ": " + kind + " " + name + " does not exist or is disabled; container "
              + container.getName() + " left as it is");
          continue;
        }
        String key = switch (kind) {
          case SeccompProfile -> "seccompProfile";
          case AppArmorProfile -> "appArmorProfile";
          case SelinuxProfile -> "seLinuxOptions";
        };
        Object wanted = switch (kind) {
          case SeccompProfile -> Map.of("type", "Localhost", "localhostProfile", "operator/" + name + ".json");
          case AppArmorProfile -> Map.of("type", "Localhost", "localhostProfile", name);
          case SelinuxProfile -> selinux(context.get(key), name);
        };
        Object current = context.get(key);
        if (current != null && !current.equals(wanted) && !(kind == ProfileKind.SelinuxProfile && !hasType(current))) {
          warnings.add(bindingName + ": container " + container.getName() + " sets its own " + key + "; left as it is");
          continue;
        }
        if (!Objects.equals(current, wanted)) {
          context.put(key, wanted);
          changed = true;
        }
      }
      if (changed) {
        // One operation per container with its whole securityContext: correct whether or not the
        // container had one, and however many bindings touched it.
        patch.add(Map.of("op", "add", "path", "/spec/" + field + "/" + i + "/securityContext", "value", context));
      }
    }
  }

  private static boolean appliesTo(ProfileBindingSpec spec, Pod pod, Container container) {
    boolean image = "*".equals(spec.getImage()) || spec.getImage().equals(container.getImage());
    return image && (spec.getPodSelector() == null || LabelSelectorMatcher.matches(spec.getPodSelector(), pod.getMetadata().getLabels()));
  }

  /** The container's seLinuxOptions with our type; user, role and level stay as they were. */
  private static Map<String, Object> selinux(Object current, String name) {
    Map<String, Object> options = new LinkedHashMap<>();
    if (current instanceof Map<?, ?> map) {
      map.forEach((k, v) -> options.put(String.valueOf(k), v));
    }
    options.put("type", name + ".process");
    return options;
  }

  private static boolean hasType(Object seLinuxOptions) {
    return seLinuxOptions instanceof Map<?, ?> map && map.get("type") != null;
  }
}
