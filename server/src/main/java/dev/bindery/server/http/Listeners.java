package dev.bindery.server.http;

import dev.bindery.server.config.Http2Config;
import dev.bindery.server.config.HttpsConfig;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.WindowRateControl;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
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
 *
 * <p>Both speak HTTP/1.1 and, unless {@link Http2Config#enabled() disabled}, HTTP/2: the plain
 * listener takes h2c by prior knowledge (a client that opens with the HTTP/2 connection preface),
 * the HTTPS listener offers h2 and http/1.1 by ALPN.
 */
public final class Listeners {

  /** The size of a connection's input buffer. */
  static final int INPUT_BUFFER_BYTES = 4096;

  private Listeners() {}

  /** The plain HTTP listener on {@code bind:port}. */
  public static ServerConnector plain(Server jetty, String bind, int port, Http2Config http2,
      long idleTimeoutMillis) {
    HttpConfiguration configuration = httpConfiguration();
    List<ConnectionFactory> factories = new ArrayList<>();
    factories.add(http(configuration));
    if (http2.enabled()) {
      // HTTP/1.1 first: a connection that opens with the h2 preface is handed over to h2c
      factories.add(tuned(new HTTP2CServerConnectionFactory(configuration), http2));
    }
    return configure(new ServerConnector(jetty, factories.toArray(ConnectionFactory[]::new)),
        "http", bind, port, idleTimeoutMillis);
  }

  /**
   * The HTTPS listener on {@code bind} and the configured port.
   *
   * @throws IOException when the certificate or key cannot be used
   */
  public static ServerConnector https(Server jetty, String bind, HttpsConfig https,
      Http2Config http2, long idleTimeoutMillis) throws IOException {
    char[] password = randomPassword();
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(PemKeyStore.load(https.certificate(), https.key(), password));
    tls.setKeyStorePassword(new String(password));
    HttpConfiguration configuration = httpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // which name the client asked for is the client's business; the certificate is checked there
    secure.setSniHostCheck(false);
    configuration.addCustomizer(secure);
    HttpConnectionFactory http1 = http(configuration);
    if (!http2.enabled()) {
      return configure(new ServerConnector(jetty, new SslConnectionFactory(tls, "http/1.1"),
          http1), "https", bind, https.port(), idleTimeoutMillis);
    }
    // RFC 9113 §9.2.2: h2 forbids the cipher suites on its block list; prefer the others
    tls.setCipherComparator(HTTP2Cipher.COMPARATOR);
    HTTP2ServerConnectionFactory h2 =
        tuned(new HTTP2ServerConnectionFactory(configuration), http2);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(),
        http1.getProtocol());
    alpn.setDefaultProtocol(http1.getProtocol()); // a client without ALPN speaks HTTP/1.1
    return configure(new ServerConnector(jetty,
        new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2, http1), "https", bind,
        https.port(), idleTimeoutMillis);
  }

  private static <T extends AbstractHTTP2ServerConnectionFactory> T tuned(T h2,
      Http2Config http2) {
    h2.setMaxConcurrentStreams(http2.maxConcurrentStreams());
    h2.setInitialStreamRecvWindow(http2.initialStreamWindow());
    h2.setInitialSessionRecvWindow(http2.initialConnectionWindow());
    h2.setRateControlFactory(new WindowRateControl.Factory(http2.maxControlFramesPerSecond()));
    return h2;
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

  /** {@code name} tags the listener's meters ({@code connector_name}). */
  private static ServerConnector configure(ServerConnector connector, String name, String bind,
      int port, long idleTimeoutMillis) {
    connector.setName(name);
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
