package dev.bindery.server.websocket;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe: it keeps nothing. Jetty's view of one XMPP stream over WebSocket: each callback,
 * on whatever thread Jetty runs it, is handed to the stream's event loop, where {@link
 * XmppWebSocket} runs. Public only because Jetty finds a listener's methods by public lookup.
 */
public final class SocketListener implements Session.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(SocketListener.class);

  private final XmppWebSocket stream;

  SocketListener(XmppWebSocket stream) {
    this.stream = stream;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    stream.loop().execute(() -> stream.socketOpened(session));
  }

  @Override
  public void onWebSocketText(String text) {
    stream.loop().execute(() -> stream.textReceived(text));
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    callback.succeed();
    stream.loop().execute(stream::binaryReceived);
  }

  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    stream.loop().execute(stream::controlReceived);
  }

  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    stream.loop().execute(stream::controlReceived);
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    callback.succeed();
    stream.loop().execute(() -> stream.socketClosed(statusCode, reason));
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    LOG.debug("WebSocket failed: {}", cause.toString());
    stream.loop().execute(() -> stream.socketClosed(StatusCode.ABNORMAL, cause.getMessage()));
  }
}
