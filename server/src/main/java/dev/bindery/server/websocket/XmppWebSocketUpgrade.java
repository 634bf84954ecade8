package dev.bindery.server.websocket;

import dev.bindery.server.http.ClientAddresses;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe: immutable. Accepts or refuses a WebSocket upgrade at the XMPP path (RFC 7395
 * §3.1): only with {@code Sec-WebSocket-Protocol: xmpp}, answered with exactly {@code xmpp}; only
 * from an allowed {@code Origin}; not while the node drains with nowhere to send clients. Each
 * accepted connection gets an {@link XmppWebSocket} on an event loop of its own.
 */
public final class XmppWebSocketUpgrade implements WebSocketCreator {

  private static final Logger LOG = LoggerFactory.getLogger(XmppWebSocketUpgrade.class);

  /** RFC 7395 §3.1: the subprotocol's name. */
  public static final String SUBPROTOCOL = "xmpp";

  private final WebSocketServices services;
  private final ClientAddresses addresses;
  private final boolean anyOrigin;
  private final Set<String> origins;
  private final BooleanSupplier draining;

  /**
   * @param allowedOrigins the {@code Origin}s browsers may open the socket from; {@code *} any
   * @param draining       true once the node drains
   */
  public XmppWebSocketUpgrade(WebSocketServices services, ClientAddresses addresses,
      List<String> allowedOrigins, BooleanSupplier draining) {
    this.services = services;
    this.addresses = addresses;
    this.anyOrigin = allowedOrigins.contains("*");
    this.origins = Set.copyOf(allowedOrigins);
    this.draining = draining;
  }

  @Override
  public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response,
      Callback callback) {
    String client = addresses.of(Request.getRemoteAddr(request),
        request.getHeaders().getValuesList(HttpHeader.FORWARDED),
        request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
    if (!request.hasSubProtocol(SUBPROTOCOL)) {
      // §3.1: without 'xmpp' agreed there is no XMPP subprotocol connection
      return refuse(request, response, callback, client, "subprotocol", HttpStatus.BAD_REQUEST_400,
          "Sec-WebSocket-Protocol must include 'xmpp' (RFC 7395 §3.1)");
    }
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (!anyOrigin && origin != null && !origins.contains(origin)) {
      return refuse(request, response, callback, client, "origin", HttpStatus.FORBIDDEN_403,
          "origin not allowed: " + origin);
    }
    if (draining.getAsBoolean() && services.seeOtherUri() == null) {
      return refuse(request, response, callback, client, "draining",
          HttpStatus.SERVICE_UNAVAILABLE_503, "shutting down");
    }
    response.setAcceptedSubProtocol(SUBPROTOCOL);
    String id = "ws-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    LOG.debug("ws={} client={} upgrade accepted", id, client);
    return new SocketListener(new XmppWebSocket(id, services, services.loops().next(), client,
        services.policy().get().limits().maxBufferedBytes()));
  }

  private Object refuse(Request request, Response response, Callback callback, String client,
      String reason, int status, String message) {
    services.metrics().upgradeRefused(reason);
    LOG.info("client={} WebSocket upgrade refused ({}): {}", client, status, message);
    Response.writeError(request, response, callback, status, message);
    return null;
  }
}
