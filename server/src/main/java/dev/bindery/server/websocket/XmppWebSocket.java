package dev.bindery.server.websocket;

import dev.bindery.protocol.framing.Frame;
import dev.bindery.protocol.framing.FramingException;
import dev.bindery.protocol.framing.Frames;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamErrorCondition;
import dev.bindery.protocol.xmpp.StreamHeader;
import dev.bindery.server.limits.Admission;
import dev.bindery.server.metrics.BoshMetrics;
import dev.bindery.server.upstream.Dial;
import dev.bindery.server.upstream.UpstreamListener;
import dev.bindery.server.upstream.UpstreamPolicy;
import dev.bindery.server.upstream.UpstreamStream;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confined to its event loop: Jetty's callbacks only hand over to it. One client's XMPP stream
 * over WebSocket (RFC 7395), relayed to one stream to the XMPP server, the client's {@code
 * <open/>} and {@code <close/>} translated to and from {@code <stream:stream>}.
 *
 * <pre>
 *   AWAIT_OPEN ──&lt;open/&gt;──▶ OPENING ──server's header──▶ OPEN
 *       │                     ▲                            │
 *       │                     └──&lt;open/&gt; (restart, §3.5)───┤
 *       └─────── &lt;close/&gt;, a stream error, drain ─────▶ CLOSING ──socket closed──▶ CLOSED
 * </pre>
 *
 * <p>Backpressure both ways: the next client message is read only while the server connection
 * takes writes; reading from the server stops while more than {@code
 * upstream.max-buffered-bytes} characters wait to go out to the client.
 *
 * <p>Public only because Jetty looks up a listener's methods by public lookup; nothing outside
 * this package creates one.
 */
public final class XmppWebSocket implements Session.Listener, UpstreamListener {

  private static final Logger LOG = LoggerFactory.getLogger(XmppWebSocket.class);

  /** After our close frame or our {@code <close/>}, how long the client has to close. */
  static final long CLOSE_GRACE_MILLIS = 5_000;

  private enum State { AWAIT_OPEN, OPENING, OPEN, CLOSING, CLOSED }

  private final String id;
  private final WebSocketServices services;
  private final EventLoop loop;
  private final String clientAddress;
  private final int maxBufferedChars;
  private Session session;
  private State state = State.AWAIT_OPEN;
  private UpstreamStream stream;
  /** The served domain once the stream was let in; null before. */
  private String domain;
  private Frame.Open opened;
  private boolean openSent;
  private boolean counted;
  private String endCondition = BoshMetrics.NO_CONDITION;
  /** Characters handed to Jetty and not yet written to the client. */
  private long pendingChars;
  /** True while the next client message waits for the server connection to take writes. */
  private boolean awaitingWritable;
  private long lastHeardNanos;
  private ScheduledFuture<?> pinger;
  private ScheduledFuture<?> closeTimeout;

  XmppWebSocket(String id, WebSocketServices services, EventLoop loop, String clientAddress,
      int maxBufferedChars) {
    this.id = id;
    this.services = services;
    this.loop = loop;
    this.clientAddress = clientAddress;
    this.maxBufferedChars = maxBufferedChars;
  }

  // ---- Jetty's callbacks, on Jetty's threads: each hands over to the loop

  @Override
  public void onWebSocketOpen(Session session) {
    loop.execute(() -> opened(session));
  }

  @Override
  public void onWebSocketText(String text) {
    loop.execute(() -> {
      heard();
      received(text);
      demandIfWritable();
    });
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    callback.succeed();
    loop.execute(() -> {
      // §3.2: "Data frame messages in the XMPP subprotocol MUST be of the text type"
      fail(StreamErrorCondition.UNSUPPORTED_ENCODING, "binary message (expected: text)",
          StatusCode.BAD_DATA);
      demandIfWritable();
    });
  }

  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    loop.execute(() -> {
      heard();
      demandIfWritable();
    });
  }

  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    loop.execute(() -> {
      heard();
      demandIfWritable();
    });
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    callback.succeed();
    loop.execute(() -> ended(statusCode, reason));
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    loop.execute(() -> {
      LOG.debug("ws={} client={} WebSocket failed: {}", id, clientAddress, cause.toString());
      ended(StatusCode.ABNORMAL, cause.getMessage());
    });
  }

  // ---- the client's side

  private void opened(Session session) {
    this.session = session;
    heard();
    long interval = services.config().pingInterval().toMillis();
    pinger = loop.scheduleAtFixedRate(this::checkLiveness, interval, interval,
        TimeUnit.MILLISECONDS);
    session.demand();
  }

  private void received(String text) {
    if (state == State.CLOSED) {
      return;
    }
    Frame frame;
    try {
      frame = services.parser().parse(text);
    } catch (FramingException e) {
      LOG.info("ws={} client={} broke the framing: {}: {}", id, clientAddress,
          e.condition().value(), e.getMessage());
      fail(e.condition(), e.getMessage(), StatusCode.NORMAL);
      return;
    }
    if (frame instanceof Frame.Open open) {
      open(open);
    } else if (frame instanceof Frame.Close) {
      clientClosed();
    } else if (frame instanceof Frame.Element element) {
      element(element.stanza());
    }
  }

  private void open(Frame.Open open) {
    switch (state) {
      case AWAIT_OPEN -> start(open);
      case OPEN -> restart(open);
      case OPENING -> fail(StreamErrorCondition.POLICY_VIOLATION,
          "<open/> before the answer to the previous one", StatusCode.NORMAL);
      default -> {
        // closing: the stream is over
      }
    }
  }

  /** §3.4: the first {@code <open/>}: decide, admit, and open the server's stream. */
  private void start(Frame.Open open) {
    opened = open;
    if (open.to() == null || open.to().isBlank()) {
      fail(StreamErrorCondition.HOST_UNKNOWN, "no 'to' domain in <open/>", StatusCode.NORMAL);
      return;
    }
    UpstreamPolicy.Decision decision = services.policy().get().decide(open.to(), null);
    if (decision instanceof UpstreamPolicy.Decision.Refused refused) {
      LOG.info("ws={} client={} stream refused: {}: {}", id, clientAddress,
          refused.condition().value(), refused.reason());
      fail(StreamErrorCondition.of(refused.condition().value(),
          StreamErrorCondition.HOST_UNKNOWN), refused.reason(), StatusCode.NORMAL);
      return;
    }
    Admission.Refusal refusal = services.admission().admit(clientAddress, BoshMetrics.WEBSOCKET);
    if (refusal != null) {
      refuse(refusal);
      return;
    }
    UpstreamPolicy.Decision.Allowed allowed = (UpstreamPolicy.Decision.Allowed) decision;
    domain = allowed.domain().domain();
    counted = true;
    services.sessions().add(this);
    services.sessionMetrics().webSocketStarted();
    state = State.OPENING;
    LOG.info("ws={} client={} stream opened to={}", id, clientAddress, domain);
    stream = services.connector().connect(loop, id,
        new Dial(allowed.domain(), allowed.route(), clientAddress), header(open), this);
  }

  private void refuse(Admission.Refusal refusal) {
    LOG.info("ws={} client={} stream refused: {}", id, clientAddress, refusal);
    if (refusal == Admission.Refusal.DRAINING && services.seeOtherUri() != null) {
      sendOpen();
      send(Frames.closeSeeOther(services.seeOtherUri()));
      closing(StatusCode.SHUTDOWN, "see other URI");
      return;
    }
    StreamErrorCondition condition = switch (refusal) {
      case DRAINING -> StreamErrorCondition.SYSTEM_SHUTDOWN;
      case MAX_SESSIONS -> StreamErrorCondition.RESOURCE_CONSTRAINT;
      case IP_RATE -> StreamErrorCondition.POLICY_VIOLATION;
    };
    fail(condition, null, StatusCode.TRY_AGAIN_LATER);
  }

  /** §3.5: a restart, after SASL: the server's stream starts anew on the same connection. */
  private void restart(Frame.Open open) {
    opened = open;
    openSent = false;
    state = State.OPENING;
    stream.restart(header(open));
  }

  private StreamHeader header(Frame.Open open) {
    return new StreamHeader(domain, open.from(), open.version(), open.lang());
  }

  private void element(Stanza stanza) {
    if (state == State.AWAIT_OPEN) {
      // §3.4: "The first message sent ... MUST be an <open/> element"
      fail(StreamErrorCondition.POLICY_VIOLATION, "the first message must be <open/>",
          StatusCode.NORMAL);
      return;
    }
    if (state == State.OPEN || state == State.OPENING) {
      services.sessionMetrics().webSocketRelayed(BoshMetrics.CLIENT_TO_SERVER, 1,
          BoshMetrics.utf8Length(List.of(stanza)));
      stream.send(List.of(stanza));
    }
  }

  /** §3.6: the client closes the stream; ours closes after the server's, then we answer. */
  private void clientClosed() {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    if (stream == null) {
      send(Frames.close());
      closing(StatusCode.NORMAL, null);
      return;
    }
    state = State.CLOSING;
    stream.close(); // upstreamClosed answers with <close/> once the server closed its side
  }

  // ---- the server's side, on the same loop

  @Override
  public void upstreamOpened(String streamId, String from, String version) {
    if (state != State.OPENING) {
      return;
    }
    state = State.OPEN;
    send(Frames.open(from != null ? from : domain, streamId, version, opened.lang()));
    openSent = true;
  }

  @Override
  public void upstreamReceived(List<Stanza> stanzas) {
    if (state == State.CLOSED) {
      return;
    }
    for (Stanza s : stanzas) {
      send(s.xml()); // §3.3.3: one element per message
    }
    services.sessionMetrics().webSocketRelayed(BoshMetrics.SERVER_TO_CLIENT, stanzas.size(),
        BoshMetrics.utf8Length(stanzas));
  }

  @Override
  public void upstreamStreamError(List<Stanza> before, Stanza error) {
    if (state == State.CLOSED) {
      return;
    }
    LOG.info("ws={} client={} server sent a stream error: {}", id, clientAddress, error.xml());
    upstreamReceived(before);
    sendOpen();
    send(error.xml());
    send(Frames.close());
    endCondition = "upstream_error";
    closing(StatusCode.NORMAL, null);
  }

  @Override
  public void upstreamViolation(String detail) {
    fail(StreamErrorCondition.REMOTE_CONNECTION_FAILED, null, StatusCode.NORMAL);
  }

  @Override
  public void upstreamClosed(String reason) {
    switch (state) {
      case CLOSING -> {
        if (openSent && session != null && closeTimeout == null) {
          // the client's <close/> was answered by the server's </stream:stream>: answer it
          send(Frames.close());
          closeTimeout = loop.schedule(this::forceClose, CLOSE_GRACE_MILLIS,
              TimeUnit.MILLISECONDS);
        }
      }
      case OPEN, OPENING -> {
        LOG.info("ws={} client={} upstream closed: {}", id, clientAddress, reason);
        if (UpstreamListener.STREAM_CLOSED_BY_SERVER.equals(reason) && openSent) {
          send(Frames.close());
          closing(StatusCode.NORMAL, null);
        } else {
          fail(StreamErrorCondition.REMOTE_CONNECTION_FAILED, null, StatusCode.NORMAL);
        }
      }
      default -> {
        // not yet opened or already over
      }
    }
  }

  @Override
  public boolean acceptsMore() {
    return state != State.CLOSED && pendingChars < maxBufferedChars;
  }

  @Override
  public void upstreamWritable() {
    if (awaitingWritable) {
      awaitingWritable = false;
      demandIfWritable();
    }
  }

  // ---- drain and reload, from other threads

  /** Ends the stream for the drain; see {@link WebSocketSessions#shutdownAll}. */
  void shutdown(String seeOtherUri) {
    loop.execute(() -> {
      if (state == State.CLOSING || state == State.CLOSED) {
        return;
      }
      sendOpen();
      if (seeOtherUri != null) {
        send(Frames.closeSeeOther(seeOtherUri));
      } else {
        send(StreamErrorCondition.SYSTEM_SHUTDOWN.element(null).xml());
        send(Frames.close());
      }
      endCondition = StreamErrorCondition.SYSTEM_SHUTDOWN.value();
      if (stream != null) {
        stream.disconnect(); // no </stream:stream>: the server keeps it for resumption
      }
      closing(StatusCode.SHUTDOWN, "shutting down");
    });
  }

  /** Ends with {@code host-gone} if {@code policy} no longer serves the stream's domain. */
  Future<Boolean> endUnlessServed(UpstreamPolicy policy) {
    return loop.submit(() -> {
      if (domain == null || state == State.CLOSING || state == State.CLOSED
          || policy.decide(domain, null) instanceof UpstreamPolicy.Decision.Allowed) {
        return false;
      }
      fail(StreamErrorCondition.HOST_GONE, "the domain is no longer served", StatusCode.NORMAL);
      return true;
    });
  }

  // ---- helpers

  /**
   * Ends the stream with a stream error (RFC 6120 §4.9): the {@code <open/>} answer first if
   * none went yet (§3.4), the error, {@code <close/>}, then the WebSocket closing handshake.
   */
  private void fail(StreamErrorCondition condition, String text, int statusCode) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    sendOpen();
    send(condition.element(text).xml());
    send(Frames.close());
    endCondition = condition.value();
    if (stream != null) {
      stream.close();
    }
    closing(statusCode, condition.value());
  }

  /** The {@code <open/>} answer, unless it went already: a stream error must follow one. */
  private void sendOpen() {
    if (!openSent) {
      openSent = true;
      send(Frames.open(domain != null ? domain : opened != null ? opened.to() : null, id,
          "1.0", null));
    }
  }

  /** Starts the WebSocket closing handshake; the client has a grace period to answer. */
  private void closing(int statusCode, String reason) {
    state = State.CLOSING;
    if (session == null) {
      return;
    }
    session.close(statusCode, reason, Callback.NOOP);
    if (closeTimeout == null) {
      closeTimeout = loop.schedule(this::forceClose, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void forceClose() {
    if (state != State.CLOSED && session != null) {
      LOG.debug("ws={} client={} did not close in time", id, clientAddress);
      session.disconnect();
    }
  }

  /** The socket is gone, cleanly or not: end the server's stream if it still runs. */
  private void ended(int statusCode, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    boolean clean = state == State.CLOSING;
    state = State.CLOSED;
    if (pinger != null) {
      pinger.cancel(false);
    }
    if (closeTimeout != null) {
      closeTimeout.cancel(false);
    }
    if (stream != null && !stream.closing()) {
      // §3.6: a socket closed without <close/> ends the stream implicitly; without
      // </stream:stream>, a server with stream management keeps the session to resume
      stream.disconnect();
    }
    services.metrics().closed(statusCode);
    if (counted) {
      services.sessions().remove(this);
      services.sessionMetrics().webSocketEnded(endCondition);
    }
    LOG.info("ws={} client={} socket closed: {}{}{}", id, clientAddress, statusCode,
        reason == null || reason.isEmpty() ? "" : " " + reason, clean ? "" : " (abrupt)");
  }

  private void send(String text) {
    if (session == null || state == State.CLOSED) {
      return;
    }
    int length = text.length();
    pendingChars += length;
    session.sendText(text, Callback.from(() -> loop.execute(() -> sent(length)),
        failure -> loop.execute(() -> sent(length))));
  }

  private void sent(int length) {
    pendingChars -= length;
    if (stream != null && stream.isPaused() && pendingChars < maxBufferedChars) {
      stream.resume();
    }
  }

  private void demandIfWritable() {
    if (session == null || state == State.CLOSED) {
      return;
    }
    if (stream == null || stream.isWritable()) {
      session.demand();
    } else {
      awaitingWritable = true;
    }
  }

  private void heard() {
    lastHeardNanos = System.nanoTime();
  }

  /** Each ping interval: a ping, or the end of a client silent beyond the idle timeout. */
  private void checkLiveness() {
    if (state == State.CLOSED || session == null) {
      return;
    }
    long silentNanos = System.nanoTime() - lastHeardNanos;
    if (silentNanos > services.config().idleTimeout().toNanos()) {
      LOG.info("ws={} client={} silent for {} s: closing", id, clientAddress,
          TimeUnit.NANOSECONDS.toSeconds(silentNanos));
      if (state == State.CLOSING) {
        forceClose();
      } else {
        fail(StreamErrorCondition.CONNECTION_TIMEOUT, null, StatusCode.SHUTDOWN);
      }
      return;
    }
    session.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
  }
}
