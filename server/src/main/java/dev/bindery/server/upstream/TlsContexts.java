package dev.bindery.server.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Thread-safe: the contexts are built once per trust store and shared. Client TLS to XMPP
 * servers: certificates verified against the JDK's trust store or a configured PEM file, and the
 * server's name checked against the XMPP domain (RFC 6125 as HTTPS does it, RFC 6120 §13.7.2).
 * There is no switch to turn verification off.
 */
final class TlsContexts {

  /** The key for "the JDK's default trust store" (a {@link ConcurrentHashMap} takes no null). */
  private static final Path SYSTEM = Path.of("");

  private final Map<Path, SslContext> contexts = new ConcurrentHashMap<>();

  /** Builds the context for {@code trustStore} now, so a bad file fails at start, not later. */
  void preload(Path trustStore) {
    try {
      context(trustStore);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException(
          "invalid trust-store: " + trustStore + ": " + cause.getMessage(), e);
    }
  }

  /**
   * A handler for a connection to {@code domain}'s server: SNI and the expected certificate name
   * are the domain, whatever host the connection went to.
   */
  SslHandler newHandler(ByteBufAllocator alloc, Path trustStore, String domain, int port,
      long handshakeTimeoutMillis) {
    SslHandler handler = context(trustStore).newHandler(alloc, domain, port);
    SSLEngine engine = handler.engine();
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(params);
    handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
    return handler;
  }

  private SslContext context(Path trustStore) {
    Path key = Optional.ofNullable(trustStore).orElse(SYSTEM);
    return contexts.computeIfAbsent(key, k -> {
      try {
        SslContextBuilder b = SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
            .endpointIdentificationAlgorithm("HTTPS");
        if (!k.equals(SYSTEM)) {
          b.trustManager(k.toFile());
        }
        return b.build();
      } catch (SSLException e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
