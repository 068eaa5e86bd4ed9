package dev.profileops.syncer.git;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * Strict host key checking against a fixed known_hosts text: a server is accepted only when one of
 * its entries (plain or hashed host patterns, {@code [host]:port} for other ports than 22) names
 * the host and holds exactly the key the server shows. Nothing is ever added or asked; a
 * {@code @revoked} entry rejects its key. Why the last server was rejected is kept for messages,
 * as JGit itself only says that the key "did not validate".
 */
public final class KnownHostsDatabase implements ServerKeyDatabase {
  private static final String REVOKED = "revoked";
  private static final String CERT_AUTHORITY = "cert-authority";

  private record Entry(KnownHostEntry host, PublicKey key) {}

  private final List<Entry> entries;
  private final String origin;
  private volatile String rejection;

  private KnownHostsDatabase(List<Entry> entries, String origin) {
    this.entries = entries;
    this.origin = origin;
  }

  /**
   * Reads known_hosts lines ({@code host[,host...] keytype base64 [comment]}, optionally with a
   * {@code @revoked} marker).
   *
   * @param origin where the text came from, for messages (e.g. {@code known_hosts of secret git-ssh})
   * @throws IllegalArgumentException when the text holds no usable host key
   */
  public static KnownHostsDatabase parse(String knownHosts, String origin) {
    List<KnownHostEntry> raw;
    try {
      raw = KnownHostEntry.readKnownHostEntries(new BufferedReader(new StringReader(knownHosts == null ? "" : knownHosts)));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(origin + " is not in known_hosts format: " + e.getMessage(), e);
    }
    List<Entry> entries = new ArrayList<>();
    List<String> unusable = new ArrayList<>();
    for (KnownHostEntry entry : raw == null ? List.<KnownHostEntry>of() : raw) {
      AuthorizedKeyEntry keyPart = entry.getKeyEntry();
      if (keyPart == null || CERT_AUTHORITY.equals(entry.getMarker())) {
        unusable.add(entry.getConfigLine());
        continue;
      }
      try {
        PublicKey key = keyPart.resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
        if (key == null) {
          unusable.add(entry.getConfigLine());
        } else {
          entries.add(new Entry(entry, key));
        }
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        unusable.add(entry.getConfigLine());
      }
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(origin + " holds no usable host key"
          + (unusable.isEmpty() ? "" : " (unsupported or invalid: " + abbreviate(unusable.get(0)) + ")"));
    }
    return new KnownHostsDatabase(List.copyOf(entries), origin);
  }

  /** Why the last server was rejected (unknown host, changed or revoked key), or null. */
  public String rejection() {
    return rejection;
  }

  @Override
  public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
    List<PublicKey> keys = new ArrayList<>();
    Set<HostPort> candidates = candidates(connectAddress, remoteAddress);
    for (Entry e : entries) {
      if (!REVOKED.equals(e.host().getMarker()) && matches(e, candidates)) {
        keys.add(e.key());
      }
    }
    return keys;
  }

  @Override
  public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
      Configuration config, CredentialsProvider provider) {
    Set<HostPort> candidates = candidates(connectAddress, remoteAddress);
    // A revoked key stays refused, whatever other entries say.
    for (Entry e : entries) {
      if (REVOKED.equals(e.host().getMarker()) && matches(e, candidates) && KeyUtils.compareKeys(serverKey, e.key())) {
        rejection = "host key " + describe(serverKey) + " of " + connectAddress + " is revoked in " + origin;
        return false;
      }
    }
    boolean hostKnown = false;
    for (Entry e : entries) {
      if (REVOKED.equals(e.host().getMarker()) || !matches(e, candidates)) {
        continue;
      }
      if (KeyUtils.compareKeys(serverKey, e.key())) {
        rejection = null;
        return true;
      }
      hostKnown = true;
    }
    rejection = hostKnown
        ? "host key of " + connectAddress + " has changed: the server shows " + describe(serverKey)
            + ", which " + origin + " does not list for it (REMOTE HOST IDENTIFICATION HAS CHANGED)"
        : "host key of " + connectAddress + " is unknown: " + origin + " has no entry for it (the server shows "
            + describe(serverKey) + ")";
    return false;
  }

  private static boolean matches(Entry e, Set<HostPort> candidates) {
    for (HostPort c : candidates) {
      if (e.host().isHostMatch(c.host(), c.port())) {
        return true;
      }
    }
    return false;
  }

  private record HostPort(String host, int port) {}

  /** The address as given ({@code host:port} or {@code [host]:port}) and the address connected to. */
  private static Set<HostPort> candidates(String connectAddress, InetSocketAddress remoteAddress) {
    Set<HostPort> candidates = new LinkedHashSet<>();
    HostPort given = parse(connectAddress);
    if (given != null) {
      candidates.add(given);
    }
    if (remoteAddress != null) {
      if (remoteAddress.getAddress() != null) {
        candidates.add(new HostPort(remoteAddress.getAddress().getHostAddress(), remoteAddress.getPort()));
      }
      candidates.add(new HostPort(remoteAddress.getHostString(), remoteAddress.getPort()));
    }
    return candidates;
  }

  private static HostPort parse(String address) {
    if (address == null || address.isEmpty()) {
      return null;
    }
    try {
      if (address.charAt(0) == '[') {
        int end = address.indexOf(']');
        if (end <= 1) {
          return null;
        }
        String host = address.substring(1, end);
        int port = end + 1 < address.length() && address.charAt(end + 1) == ':' ? Integer.parseInt(address.substring(end + 2)) : 22;
        return new HostPort(host, port);
      }
      int colon = address.lastIndexOf(':');
      if (colon > 0 && address.indexOf(':') == colon) {
        return new HostPort(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
      }
      return new HostPort(address, 22);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String describe(PublicKey key) {
    return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
  }

  private static String abbreviate(String line) {
    String s = line == null ? "" : line.strip();
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
