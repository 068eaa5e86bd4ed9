package dev.profileops.cli.admission;

import dev.profileops.cli.tls.ServerTls;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod webhooks' certificate without cert-manager: a CA and a serving certificate the controller
 * makes itself, kept in one Secret ({@code ca.crt}, {@code ca.key}, {@code tls.crt}, {@code tls.key}),
 * the CA written into the {@code caBundle} of each MutatingWebhookConfiguration the server answers
 * (ProfileBinding's and ProfileRecording's), and the
 * pair written as PEM files into a local directory that {@link ReloadingPemKeyManager} serves from.
 *
 * <p>Each {@link #ensure()} reuses what the Secret holds while the serving certificate has more than a
 * third of its validity left, and renews it otherwise (a new CA too when the CA is in its last third).
 * Every replica runs it: the Secret is written with its resourceVersion, so when two replicas renew at
 * once one write wins and the other takes the winner's pair (nobody overwrites a valid certificate).
 * While a CA is replaced the bundle holds the old one too, so a replica still serving the previous
 * certificate is trusted until it reads the new one.
 */
public final class SelfManagedWebhookCertificate implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SelfManagedWebhookCertificate.class);
  public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(5 * 365);
  public static final Duration DEFAULT_SERVING_VALIDITY = Duration.ofDays(365);
  /** How often a replica looks whether the certificate needs renewing or another replica renewed it. */
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofHours(1);

  /** What one {@link #ensure()} did. */
  public enum Action { ISSUED, RENEWED, REUSED }

  /** The result of one {@link #ensure()}: what was done and the certificate now served. */
  public record Outcome(Action action, X509Certificate serving, X509Certificate ca) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String secretName;
  private final List<String> webhookConfigurations;
  private final List<String> dnsNames;
  private final Path servingDirectory;
  private final Clock clock;
  private final Duration caValidity;
  private final Duration servingValidity;
  private ScheduledExecutorService timer;

  public SelfManagedWebhookCertificate(KubernetesClient client, String namespace, String secretName, List<String> webhookConfigurations,
      List<String> dnsNames, Path servingDirectory, Clock clock, Duration caValidity, Duration servingValidity) {
    if (dnsNames.isEmpty()) {
      throw new IllegalArgumentException("the webhook certificate needs at least one DNS name");
    }
    this.client = client;
    this.namespace = namespace;
    this.secretName = secretName;
    this.webhookConfigurations = List.copyOf(webhookConfigurations);
    this.dnsNames = List.copyOf(dnsNames);
    this.servingDirectory = servingDirectory;
    this.clock = clock;
    this.caValidity = caValidity;
    this.servingValidity = servingValidity;
  }

  /** The DNS names of a webhook Service: {@code <service>.<namespace>.svc} and its cluster.local form. */
  public static List<String> serviceDnsNames(String service, String namespace) {
    return List.of(service + "." + namespace + ".svc", service + "." + namespace + ".svc.cluster.local");
  }

  /** The files the webhook serves, written by {@link #ensure()}. */
  public Path certificateFile() {
    return servingDirectory.resolve("tls.crt");
  }

  public Path keyFile() {
    return servingDirectory.resolve("tls.key");
  }

  /**
   * Checks now and then every {@code interval} on a thread of its own (a failed check is logged and
   * tried again at the next one); the first check is the caller's, so that the webhook starts with a
   * certificate.
   */
  public synchronized void start(Duration interval) {
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "webhook-certificate");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleWithFixedDelay(this::ensureLogged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void ensureLogged() {
    try {
      ensure();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      LOG.warn("Webhook certificate check failed, trying again at the next one: {}", e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** Makes sure the Secret, the caBundle and the served files hold a certificate that is not due. */
  public Outcome ensure() throws IOException, GeneralSecurityException {
    for (int attempt = 0; ; attempt++) {
      Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
      Stored stored = Stored.of(secret);
      Instant now = clock.instant();
      if (stored != null && !due(stored.serving, now) && stored.covers(dnsNames)) {
        publish(stored);
        return new Outcome(Action.REUSED, stored.serving, stored.ca);
      }
      Stored next = renew(stored, now);
      try {
        write(secret, next);
      } catch (KubernetesClientException e) {
        // 409: another replica wrote first (or created it); take what it wrote.
        if ((e.getCode() == 409 || e.getCode() == 422) && attempt < 3) {
          LOG.info("Webhook certificate Secret {}/{} changed meanwhile, reading it again", namespace, secretName);
          continue;
        }
        throw e;
      }
      publish(next);
      Action action = stored == null ? Action.ISSUED : Action.RENEWED;
      LOG.info("Webhook certificate {} in Secret {}/{}, valid until {}", action.name().toLowerCase(), namespace, secretName,
          next.serving.getNotAfter().toInstant());
      return new Outcome(action, next.serving, next.ca);
    }
  }

  /** Less than a third of its validity left (or not valid yet, or expired). */
  private static boolean due(X509Certificate certificate, Instant now) {
    Instant from = certificate.getNotBefore().toInstant();
    Instant until = certificate.getNotAfter().toInstant();
    Duration third = Duration.between(from, until).dividedBy(3);
    return now.isBefore(from) || !now.isBefore(until.minus(third));
  }

  private Stored renew(Stored previous, Instant now) throws GeneralSecurityException, IOException {
    X509Certificate ca;
    PrivateKey caKey;
    X509Certificate retiredCa = null;
    if (previous != null && !due(previous.ca, now)) {
      ca = previous.ca;
      caKey = previous.caKey;
    } else {
      KeyPair pair = ServerTls.newKeyPair();
      X500Name subject = new X500Name("CN=profileops-binding-webhook-ca");
      JcaX509v3CertificateBuilder builder = builder(subject, subject, pair, now, caValidity);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      ca = sign(builder, pair.getPrivate());
      caKey = pair.getPrivate();
      if (previous != null && now.isBefore(previous.ca.getNotAfter().toInstant())) {
        retiredCa = previous.ca;
      }
    }
    KeyPair pair = ServerTls.newKeyPair();
    JcaX509v3CertificateBuilder builder = builder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
        new X500Name("CN=" + dnsNames.get(0)), pair, now, servingValidity);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    builder.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
    X509Certificate serving = sign(builder, caKey);
    List<X509Certificate> bundle = new ArrayList<>(List.of(ca));
    if (retiredCa != null) {
      bundle.add(retiredCa);
    } else if (previous != null) {
      previous.bundle.stream().filter(c -> !c.equals(ca) && now.isBefore(c.getNotAfter().toInstant())).forEach(bundle::add);
    }
    return new Stored(ca, caKey, serving, pair.getPrivate(), bundle);
  }

  private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair, Instant now, Duration validity) {
    // A few minutes back: clocks of the API server and this node may differ a little.
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(validity)), subject, pair.getPublic());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
    try {
      X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key));
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("could not sign the webhook certificate: " + e.getMessage(), e);
    }
  }

  private void write(Secret existing, Stored next) throws IOException {
    Map<String, String> data = next.data();
    if (existing == null) {
      client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(secretName).withNamespace(namespace)
          .addToLabels("app.kubernetes.io/part-of", "profileops").endMetadata().withType("Opaque").withData(data).build()).create();
    } else {
      // Carries the resourceVersion read: the API server refuses it (409) if another replica wrote since.
      Secret updated = new SecretBuilder(existing).withData(data).build();
      client.secrets().inNamespace(namespace).resource(updated).update();
    }
  }

  /** The caBundle of the webhook configuration and the local files, when they differ from the Secret's. */
  private void publish(Stored stored) throws IOException {
    String bundle = Base64.getEncoder().encodeToString(pem(stored.bundle.toArray()).getBytes(StandardCharsets.UTF_8));
    for (String name : webhookConfigurations) {
      publishCaBundle(name, bundle);
    }
    String certificate = pem(stored.serving);
    String key = keyPem(stored.servingKey);
    if (!Files.exists(certificateFile()) || !certificate.equals(Files.readString(certificateFile()))
        || !Files.exists(keyFile()) || !key.equals(Files.readString(keyFile()))) {
      Files.createDirectories(servingDirectory);
      // Key first, then certificate, each replaced whole: the reloading key manager looks at both times.
      replace(keyFile(), key);
      replace(certificateFile(), certificate);
    }
  }

  private void publishCaBundle(String name, String bundle) {
    MutatingWebhookConfiguration configuration = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).get();
    if (configuration == null) {
      LOG.warn("MutatingWebhookConfiguration {} does not exist: its caBundle cannot be set", name);
    } else if (configuration.getWebhooks().stream().anyMatch(w -> !bundle.equals(w.getClientConfig().getCaBundle()))) {
      client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).edit(c -> {
        for (MutatingWebhook webhook : c.getWebhooks()) {
          webhook.getClientConfig().setCaBundle(bundle);
        }
        return c;
      });
      LOG.info("caBundle of MutatingWebhookConfiguration {} written", name);
    }
  }

  private static void replace(Path file, String content) throws IOException {
    Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".new");
    Files.writeString(temporary, content);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** PKCS#8 ("PRIVATE KEY"), as cert-manager writes with encoding: PKCS8. */
  private static String keyPem(PrivateKey key) {
    try {
      return pem(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pem(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        writer.writeObject(o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** What the Secret holds, parsed; null when it is missing or cannot be read (then it is made anew). */
  private record Stored(X509Certificate ca, PrivateKey caKey, X509Certificate serving, PrivateKey servingKey, List<X509Certificate> bundle) {
    static final String CA_BUNDLE = "ca-bundle.crt";

    static Stored of(Secret secret) {
      if (secret == null || secret.getData() == null) {
        return null;
      }
      Map<String, String> data = secret.getData();
      try {
        List<X509Certificate> ca = certificates(data.get("ca.crt"));
        List<X509Certificate> serving = certificates(data.get("tls.crt"));
        List<X509Certificate> bundle = data.containsKey(CA_BUNDLE) ? certificates(data.get(CA_BUNDLE)) : ca;
        if (ca.isEmpty() || serving.isEmpty()) {
          return null;
        }
        PrivateKey caKey = key(data.get("ca.key"));
        PrivateKey servingKey = key(data.get("tls.key"));
        serving.get(0).verify(ca.get(0).getPublicKey());
        return new Stored(ca.get(0), caKey, serving.get(0), servingKey, bundle);
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        LOG.warn("Secret {}/{} holds no usable webhook certificate, making a new one: {}", secret.getMetadata().getNamespace(),
            secret.getMetadata().getName(), e.toString());
        return null;
      }
    }

    boolean covers(List<String> dnsNames) {
      try {
        var names = serving.getSubjectAlternativeNames();
        return names != null && names.stream().map(n -> String.valueOf(n.get(1))).toList().containsAll(dnsNames);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }

    Map<String, String> data() {
      Map<String, String> data = new LinkedHashMap<>();
      data.put("ca.crt", encode(pem(ca)));
      data.put("ca.key", encode(keyPem(caKey)));
      data.put(CA_BUNDLE, encode(pem(bundle.toArray())));
      data.put("tls.crt", encode(pem(serving)));
      data.put("tls.key", encode(keyPem(servingKey)));
      return data;
    }

    private static String encode(String text) {
      return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
      return new String(Base64.getDecoder().decode(Objects.requireNonNull(base64, "missing key")), StandardCharsets.UTF_8);
    }

    private static List<X509Certificate> certificates(String base64) throws IOException, GeneralSecurityException {
      return base64 == null ? new ArrayList<>() : ServerTls.readCertificates(new StringReader(decode(base64)));
    }

    private static PrivateKey key(String base64) throws IOException {
      return ServerTls.readPrivateKey(new StringReader(decode(base64)))
          .orElseThrow(() -> new IOException("no unencrypted PEM private key"));
    }
  }
}
