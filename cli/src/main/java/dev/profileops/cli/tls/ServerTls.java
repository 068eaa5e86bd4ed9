package dev.profileops.cli.tls;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate an HTTPS endpoint of ours presents (the metrics endpoint, the pod webhooks): PEM
 * files (a cert-manager or service-CA Secret, {@code tls.crt} + {@code tls.key}) or, without them, one
 * made at start and valid for a year, which a metrics scraper accepts with {@code insecureSkipVerify}
 * (the bearer token still guards the data). Also the PEM reading and key making the webhook's
 * self-managed certificate shares.
 */
public final class ServerTls {
  private final SSLContext context;
  private final X509Certificate certificate;
  private final X509ExtendedKeyManager keyManager;
  private final PrivateKey privateKey;

  private ServerTls(PrivateKey key, List<X509Certificate> chain) throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    char[] password = new char[0];
    store.setKeyEntry("metrics", key, password, chain.toArray(X509Certificate[]::new));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    this.context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, new SecureRandom());
    this.certificate = chain.get(0);
    this.keyManager = (X509ExtendedKeyManager) keys.getKeyManagers()[0];
    this.privateKey = key;
  }

  /** A new P-256 key and a self-signed certificate for these DNS names. */
  public static ServerTls selfSigned(List<String> dnsNames) throws GeneralSecurityException {
    KeyPair pair = newKeyPair();
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=" + dnsNames.get(0));
    try {
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(365))), subject, pair.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
      X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      return new ServerTls(pair.getPrivate(), List.of(new JcaX509CertificateConverter().getCertificate(holder)));
    } catch (IOException | OperatorCreationException e) {
      throw new GeneralSecurityException("could not make the metrics certificate: " + e.getMessage(), e);
    }
  }

  /** The certificate chain and key of PEM files (PKCS#1, SEC1 or PKCS#8 keys). */
  public static ServerTls fromPem(Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
    List<X509Certificate> chain;
    try (Reader reader = Files.newBufferedReader(certificateFile)) {
      chain = readCertificates(reader);
    }
    if (chain.isEmpty()) {
      throw new IOException(certificateFile + ": no PEM certificate in it");
    }
    Optional<PrivateKey> key;
    try (Reader reader = Files.newBufferedReader(keyFile)) {
      key = readPrivateKey(reader);
    }
    return new ServerTls(key.orElseThrow(() -> new IOException(keyFile + ": no unencrypted PEM private key in it")), chain);
  }

  /** A new P-256 (secp256r1) key pair, the kind of key every certificate made here has. */
  public static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** The certificates of PEM text, in their order; other PEM objects are skipped. */
  public static List<X509Certificate> readCertificates(Reader pem) throws IOException, GeneralSecurityException {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(pem)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    }
    return certificates;
  }

  /** The private key of PEM text (PKCS#1, SEC1 or PKCS#8, unencrypted); empty when its first object is none. */
  public static Optional<PrivateKey> readPrivateKey(Reader pem) throws IOException {
    try (PEMParser parser = new PEMParser(pem)) {
      Object o = parser.readObject();
      JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair pair) {
        // Only the private part: a SEC1 EC key may come without its public key.
        return Optional.of(keys.getPrivateKey(pair.getPrivateKeyInfo()));
      } else if (o instanceof PrivateKeyInfo info) {
        return Optional.of(keys.getPrivateKey(info));
      }
      return Optional.empty();
    }
  }

  public SSLContext context() {
    return context;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The private key, to write a made pair out as PEM files (tests do). */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The key and chain as a key manager, for a context that swaps them when the files change. */
  public X509ExtendedKeyManager keyManager() {
    return keyManager;
  }
}
