package dev.profileops.cli.admission;

import dev.profileops.cli.tls.ServerTls;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's key and certificate from PEM files that cert-manager renews in place (a mounted
 * Secret): each handshake looks at the files' modification times and reads them again when they
 * changed, so a renewed certificate is served without a restart. A pair that cannot be read (half
 * written, say) keeps the previous one in use.
 */
final class ReloadingPemKeyManager extends X509ExtendedKeyManager {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingPemKeyManager.class);

  private final Path certificateFile;
  private final Path keyFile;
  private volatile X509ExtendedKeyManager current;
  private volatile List<FileTime> loadedAt;

  ReloadingPemKeyManager(Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
    this.certificateFile = certificateFile;
    this.keyFile = keyFile;
    this.loadedAt = modified();
    this.current = ServerTls.fromPem(certificateFile, keyFile).keyManager();
  }

  static SSLContext context(Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {new ReloadingPemKeyManager(certificateFile, keyFile)}, null, new SecureRandom());
    return context;
  }

  private X509ExtendedKeyManager delegate() {
    try {
      List<FileTime> now = modified();
      if (!now.equals(loadedAt)) {
        synchronized (this) {
          if (!now.equals(loadedAt)) {
            current = ServerTls.fromPem(certificateFile, keyFile).keyManager();
            loadedAt = now;
            LOG.info("Webhook certificate reloaded from {}", certificateFile);
          }
        }
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      LOG.warn("Webhook certificate {} could not be reloaded, the previous one stays: {}", certificateFile, e.toString());
    }
    return current;
  }

  private List<FileTime> modified() throws IOException {
    return List.of(Files.getLastModifiedTime(certificateFile), Files.getLastModifiedTime(keyFile));
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return delegate().getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return delegate().chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return delegate().getServerAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return delegate().chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return delegate().chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return delegate().getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return delegate().getPrivateKey(alias);
  }
}
