package dev.bindery.server.http;

import dev.bindery.server.config.HttpsConfig;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Stateless. Builds Jetty's listeners for {@code /http-bind}: plain HTTP, and HTTPS when a
 * certificate is configured. Requests over the HTTPS one are secure in the sense of XEP-0124
 * §19 ({@code isSecure()}), so a session created there stays on HTTPS.
 */
public final class Listeners {

  /** The size of a connection's input buffer. */
  static final int INPUT_BUFFER_BYTES = 4096;

  private Listeners() {}

  /** The plain HTTP listener on {@code bind:port}. */
  public static ServerConnector plain(Server jetty, String bind, int port, long idleTimeoutMillis) {
    return configure(new ServerConnector(jetty, http(httpConfiguration())), bind, port,
        idleTimeoutMillis);
  }

  /**
   * The HTTPS listener on {@code bind} and the configured port.
   *
   * @throws IOException when the certificate or key cannot be used
   */
  public static ServerConnector https(Server jetty, String bind, HttpsConfig https,
      long idleTimeoutMillis) throws IOException {
    char[] password = randomPassword();
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(PemKeyStore.load(https.certificate(), https.key(), password));
    tls.setKeyStorePassword(new String(password));
    HttpConfiguration http = httpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // which name the client asked for is the client's business; the certificate is checked there
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    return configure(new ServerConnector(jetty, new SslConnectionFactory(tls, "http/1.1"),
        http(http)), bind, https.port(), idleTimeoutMillis);
  }

  private static HttpConnectionFactory http(HttpConfiguration configuration) {
    HttpConnectionFactory http = new HttpConnectionFactory(configuration);
    // A suspended request keeps its connection's input buffer until it is answered, so every
    // held request costs one. 4 KB holds a BOSH request's headers and a usual body; larger ones
    // take more reads. (Jetty's default, 8 KB, also shared its pool bucket with the response
    // header buffers, which then had to be searched for among the held ones.)
    http.setInputBufferSize(INPUT_BUFFER_BYTES);
    return http;
  }

  private static HttpConfiguration httpConfiguration() {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // Jetty's header field cache is a 48 K-char trie per connection (about 100 KB of heap, held
    // for the connection's life). BOSH requests carry a handful of short headers, and a BOSH
    // client keeps two connections per session open, so the cache cost more heap per session
    // than everything else together: off.
    http.setHeaderCacheSize(0);
    return http;
  }

  private static ServerConnector configure(ServerConnector connector, String bind, int port,
      long idleTimeoutMillis) {
    connector.setHost(bind);
    connector.setPort(port);
    connector.setIdleTimeout(idleTimeoutMillis);
    connector.setAcceptQueueSize(1024);
    return connector;
  }

  /** The in-memory key store's password: it never leaves this process. */
  private static char[] randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes).toCharArray();
  }
}
