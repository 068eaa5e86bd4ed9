package dev.profileops.nodedaemon.status;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.profileops.api.SpoApi;
import dev.profileops.api.common.ProfileState;
import dev.profileops.api.nodestatus.NodeStatusSpec;
import dev.profileops.api.nodestatus.NodeStatusStatus;
import dev.profileops.api.nodestatus.SecurityProfileNodeStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps this node's {@link SecurityProfileNodeStatus} for a profile of any kind: one object per
 * (profile, node), named {@code <profile>-<node>}, labelled the way SPO labels it so the profile's
 * status can be aggregated with a label selector across nodes. Writes only what changed.
 */
public final class NodeStatusWriter {

  private final KubernetesClient client;
  private final String nodeName;

  public NodeStatusWriter(KubernetesClient client, String nodeName) {
    this.client = client;
    this.nodeName = nodeName;
  }

  public String nodeName() {
    return nodeName;
  }

  /**
   * The {@code spo.x-k8s.io/profile-id} label value, {@code <Kind>-<name>}. Label values stop at 63
   * characters while names go to 253, so a longer id is cut and made unique again with a hash.
   */
  public static String profileId(String kind, String profileName) {
    return labelValue(kind + "-" + profileName);
  }

  /** {@code <profile>-<node>}, shortened with a hash in the rare case it exceeds an object name's 253. */
  public static String objectName(String profileName, String nodeName) {
    return ShortNames.fit(SecurityProfileNodeStatus.nameFor(profileName, nodeName), ShortNames.MAX_OBJECT_NAME);
  }

  /** Creates or updates this node's status for the profile. */
  public SecurityProfileNodeStatus write(HasMetadata profile, ProfileState state, String message) {
    SecurityProfileNodeStatus wanted = desired(profile, state, message);
    String name = wanted.getMetadata().getName();
    return write(wanted, client.resources(SecurityProfileNodeStatus.class).withName(name).get());
  }

  /**
   * Writes this node's status for the profile, then summarizes every node's: the same as
   * {@link #write} followed by a {@link #list} of every node's status, in fewer requests. One list of the profile's node
   * statuses finds this node's own (no separate get) and gives the other nodes' for the summary;
   * a new status is created with its status set and patched only when the server dropped it; an
   * unchanged one is not written at all.
   */
  public Summary writeAndSummarize(HasMetadata profile, ProfileState state, String message) {
    SecurityProfileNodeStatus wanted = desired(profile, state, message);
    String name = wanted.getMetadata().getName();
    List<SecurityProfileNodeStatus> all = new ArrayList<>(list(profile.getKind(), profile.getMetadata().getName()));
    SecurityProfileNodeStatus current = null;
    for (SecurityProfileNodeStatus status : all) {
      if (name.equals(status.getMetadata().getName())) {
        current = status;
      }
    }
    SecurityProfileNodeStatus written = write(wanted, current);
    all.removeIf(s -> name.equals(s.getMetadata().getName()));
    all.add(written);
    return summarize(all);
  }

  /** Brings {@code current} (null: not there, as far as we know) to {@code wanted}. */
  private SecurityProfileNodeStatus write(SecurityProfileNodeStatus wanted, SecurityProfileNodeStatus current) {
    var statuses = client.resources(SecurityProfileNodeStatus.class);
    String name = wanted.getMetadata().getName();
    if (current == null) {
      try {
        // Status included: a server without the status subresource keeps it, saving the status write.
        current = statuses.resource(wanted).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        current = statuses.withName(name).require();
      }
    }
    if (!sameMetadataAndSpec(current, wanted)) {
      current = statuses.withName(name).edit(existing -> {
        Map<String, String> labels = new HashMap<>(Objects.requireNonNullElse(existing.getMetadata().getLabels(), Map.of()));
        labels.putAll(wanted.getMetadata().getLabels());
        existing.getMetadata().setLabels(labels);
        existing.getMetadata().setOwnerReferences(wanted.getMetadata().getOwnerReferences());
        existing.setSpec(wanted.getSpec());
        return existing;
      });
    }
    // With the status subresource (as in the CRD) create and edit ignore status: it has its own write,
    // a merge patch that sets every field of it (a null message removes the old one), with no get first.
    if (!sameStatus(current.getStatus(), wanted.getStatus())) {
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      ObjectNode status = patch.putObject("status");
      status.put("status", wanted.getStatus().getStatus() == null ? null : wanted.getStatus().getStatus().name());
      status.put("message", wanted.getStatus().getMessage());
      // On the object in hand: fabric8 gets the object from the server first when only given a name.
      current = statuses.resource(current).subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    }
    return current;
  }

  /**
   * Deletes this node's status for the profile; true when there was one. An object of that name that
   * belongs to another kind of profile is left alone.
   */
  public boolean delete(String kind, String profileName) {
    var status = client.resources(SecurityProfileNodeStatus.class).withName(objectName(profileName, nodeName));
    SecurityProfileNodeStatus current = status.get();
    if (current == null || current.getSpec() == null || !kind.equals(current.getSpec().getProfileKind())) {
      return false;
    }
    return !status.delete().isEmpty();
  }

  /** Every node's status for the profile. */
  public List<SecurityProfileNodeStatus> list(String kind, String profileName) {
    return client.resources(SecurityProfileNodeStatus.class)
        .withLabel(SpoApi.LABEL_PROFILE_ID, profileId(kind, profileName))
        .list()
        .getItems();
  }

  /**
   * The profile's state across nodes: the lowest node state, and the message of the first node (by
   * name) in that state, so every node computes the same summary from the same objects.
   */
  private static Summary summarize(List<SecurityProfileNodeStatus> all) {
    ProfileState state = ProfileState.aggregate(all.stream().map(NodeStatusWriter::stateOf).toList());
    String message = all.stream()
        .filter(s -> stateOf(s) == state && s.getStatus() != null && s.getStatus().getMessage() != null)
        .min(Comparator.comparing(s -> s.getSpec() == null ? "" : Objects.toString(s.getSpec().getNodeName(), "")))
        .map(s -> s.getSpec().getNodeName() + ": " + s.getStatus().getMessage())
        .orElse(null);
    return new Summary(state, message, all.size());
  }

  /** A profile's state over all nodes that reported one. */
  public record Summary(ProfileState state, String message, int nodes) {}

  private SecurityProfileNodeStatus desired(HasMetadata profile, ProfileState state, String message) {
    String kind = profile.getKind();
    String profileName = profile.getMetadata().getName();
    SecurityProfileNodeStatus status = new SecurityProfileNodeStatus();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(objectName(profileName, nodeName));
    meta.setLabels(Map.of(
        SpoApi.LABEL_PROFILE_ID, profileId(kind, profileName),
        SpoApi.LABEL_NODE_NAME, labelValue(nodeName),
        SpoApi.LABEL_PROFILE_STATE, state.name(),
        SpoApi.LABEL_PROFILE_KIND, kind));
    // Owned by the profile, so the garbage collector removes statuses a vanished node left behind.
    OwnerReference owner = new OwnerReferenceBuilder()
        .withApiVersion(profile.getApiVersion())
        .withKind(kind)
        .withName(profileName)
        .withUid(profile.getMetadata().getUid())
        .build();
    meta.setOwnerReferences(List.of(owner));
    status.setMetadata(meta);
    NodeStatusSpec spec = new NodeStatusSpec();
    spec.setNodeName(nodeName);
    spec.setProfileKind(kind);
    spec.setProfileName(profileName);
    status.setSpec(spec);
    NodeStatusStatus nodeStatus = new NodeStatusStatus();
    nodeStatus.setStatus(state);
    nodeStatus.setMessage(message);
    status.setStatus(nodeStatus);
    return status;
  }

  private static boolean sameMetadataAndSpec(SecurityProfileNodeStatus current, SecurityProfileNodeStatus wanted) {
    Map<String, String> labels = Objects.requireNonNullElse(current.getMetadata().getLabels(), Map.of());
    boolean labelsPresent = wanted.getMetadata().getLabels().entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    NodeStatusSpec a = current.getSpec();
    NodeStatusSpec b = wanted.getSpec();
    boolean sameSpec = a != null
        && Objects.equals(a.getNodeName(), b.getNodeName())
        && Objects.equals(a.getProfileKind(), b.getProfileKind())
        && Objects.equals(a.getProfileName(), b.getProfileName());
    String wantedUid = wanted.getMetadata().getOwnerReferences().get(0).getUid();
    boolean sameOwner = current.getMetadata().getOwnerReferences() != null
        && current.getMetadata().getOwnerReferences().stream().anyMatch(o -> Objects.equals(o.getUid(), wantedUid));
    return labelsPresent && sameSpec && sameOwner;
  }

  private static boolean sameStatus(NodeStatusStatus a, NodeStatusStatus b) {
    return a != null && a.getStatus() == b.getStatus() && Objects.equals(a.getMessage(), b.getMessage());
  }

  private static ProfileState stateOf(SecurityProfileNodeStatus status) {
    return status.getStatus() == null || status.getStatus().getStatus() == null
        ? ProfileState.Pending
        : status.getStatus().getStatus();
  }

  private static String labelValue(String value) {
    return ShortNames.fit(value, ShortNames.MAX_LABEL_VALUE);
  }
}
