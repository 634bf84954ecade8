package dev.bindery.server.discovery;

import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.XmlEscaper;
import dev.bindery.server.http.ClientAddresses;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Thread-safe: immutable. Answers {@code GET /.well-known/host-meta} (XRD) and {@code
 * /.well-known/host-meta.json} (JRD) with the BOSH and WebSocket endpoints (XEP-0156 §3, RFC
 * 6415), with CORS for web clients on other origins (§3.4). Each URL is the configured public
 * one, or else the one the request reached: its scheme (HTTPS also when a trusted proxy says
 * so), its {@code Host} and the endpoint's path. Non-blocking: each answer is one small write.
 */
public final class HostMetaHandler extends Handler.Abstract.NonBlocking {

  public static final String XRD_PATH = "/.well-known/host-meta";
  public static final String JRD_PATH = "/.well-known/host-meta.json";
  static final String BOSH_REL = "urn:xmpp:alt-connections:xbosh";
  static final String WEBSOCKET_REL = "urn:xmpp:alt-connections:websocket";

  private final String boshPath;
  private final String webSocketPath;
  private final URI publicBoshUrl;
  private final URI publicWebSocketUrl;
  private final ClientAddresses addresses;

  /**
   * @param webSocketPath      the WebSocket path, or null when WebSocket is off
   * @param publicBoshUrl      the BOSH URL clients use, or null to derive it from each request
   * @param publicWebSocketUrl the WebSocket URL clients use, or null to derive it
   */
  public HostMetaHandler(String boshPath, String webSocketPath, URI publicBoshUrl,
      URI publicWebSocketUrl, ClientAddresses addresses) {
    this.boshPath = boshPath;
    this.webSocketPath = webSocketPath;
    this.publicBoshUrl = publicBoshUrl;
    this.publicWebSocketUrl = publicWebSocketUrl;
    this.addresses = addresses;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    boolean xrd = XRD_PATH.equals(path);
    if (!xrd && !JRD_PATH.equals(path)) {
      return false;
    }
    response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    String method = request.getMethod();
    if (HttpMethod.OPTIONS.is(method)) {
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS");
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "86400");
      response.setStatus(HttpStatus.NO_CONTENT_204);
      callback.succeeded();
      return true;
    }
    if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, OPTIONS");
      Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
      return true;
    }
    boolean secure = request.isSecure() || addresses.secure(Request.getRemoteAddr(request),
        request.getHeaders().getValuesList(HttpHeader.FORWARDED),
        request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_PROTO));
    String authority = request.getHttpURI().getAuthority();
    String bosh = publicBoshUrl != null ? publicBoshUrl.toString()
        : (secure ? "https://" : "http://") + authority + boshPath;
    String webSocket = webSocketPath == null ? null : publicWebSocketUrl != null
        ? publicWebSocketUrl.toString() : (secure ? "wss://" : "ws://") + authority + webSocketPath;
    String body = xrd ? xrd(bosh, webSocket) : jrd(bosh, webSocket);
    response.getHeaders().put(new HttpField(HttpHeader.CONTENT_TYPE,
        xrd ? "application/xrd+xml; charset=utf-8" : "application/json"));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=300");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    if (HttpMethod.HEAD.is(method)) {
      callback.succeeded();
    } else {
      response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
    }
    return true;
  }

  static String xrd(String bosh, String webSocket) {
    StringBuilder xml = new StringBuilder(400).append("<?xml version='1.0' encoding='utf-8'?>\n")
        .append("<XRD xmlns='").append(Namespaces.XRD).append("'>\n");
    link(xml, BOSH_REL, bosh);
    if (webSocket != null) {
      link(xml, WEBSOCKET_REL, webSocket);
    }
    return xml.append("</XRD>\n").toString();
  }

  private static void link(StringBuilder xml, String rel, String href) {
    xml.append("  <Link rel='").append(rel).append("' href='");
    XmlEscaper.escapeAttribute(href, xml);
    xml.append("'/>\n");
  }

  static String jrd(String bosh, String webSocket) {
    StringBuilder json = new StringBuilder(300).append("{\"links\":[");
    json.append("{\"rel\":\"").append(BOSH_REL).append("\",\"href\":\"").append(json(bosh))
        .append("\"}");
    if (webSocket != null) {
      json.append(",{\"rel\":\"").append(WEBSOCKET_REL).append("\",\"href\":\"")
          .append(json(webSocket)).append("\"}");
    }
    return json.append("]}\n").toString();
  }

  /** A JSON string's content: URLs need only quotes, backslashes and controls escaped. */
  private static String json(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
