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
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confined to its event loop. One client's XMPP stream
 * over WebSocket (RFC 7395), relayed to one stream to the XMPP server, the client's {@code
 * <open/>} and {@code <close/>} translated to and from {@code <stream:stream>}.
 *
 * <pre>
 *   AWAIT_OPEN ──&lt;open/&gt;──▶ OPENING ──server's header──▶ OPEN
 *       │                     ▲                            │
 *       │                     └──&lt;open/&gt; (restart, §3.7)───┤
 *       └─────── &lt;close/&gt;, a stream error, drain ─────▶ CLOSING ──socket closed──▶ CLOSED
 * </pre>
 *
 * <p>Backpressure both ways: the next client message is read only while the server connection
 * takes writes; reading from the server stops while more than {@code
 * upstream.max-buffered-bytes} characters wait to go out to the client.
 *
 * <p>Jetty's callbacks reach it through {@link SocketListener}, which hands each to this loop.
 */
final class XmppWebSocket implements UpstreamListener {

  private static final Logger LOG = LoggerFactory.getLogger(XmppWebSocket.class);

  private enum State { AWAIT_OPEN, OPENING, OPEN, CLOSING, CLOSED }

  private final String id;
  private final WebSocketServices services;
  private final EventLoop loop;
  private final String clientAddress;
  private final ClientSocket socket;
  private State state = State.AWAIT_OPEN;
  private UpstreamStream stream;
  /** The served domain once the stream was let in; null before. */
  private String domain;
  private Frame.Open opened;
  private boolean openSent;
  private boolean counted;
  private String endCondition = BoshMetrics.NO_CONDITION;
  /** True while the next client message waits for the server connection to take writes. */
  private boolean awaitingWritable;
  /** True once the {@code <close/>} that ends the stream went to the client. */
  private boolean closeSent;

  XmppWebSocket(String id, WebSocketServices services, EventLoop loop, String clientAddress,
      int maxBufferedChars) {
    this.id = id;
    this.services = services;
    this.loop = loop;
    this.clientAddress = clientAddress;
    this.socket = new ClientSocket(id, loop, services.config().pingInterval(),
        services.config().idleTimeout(), maxBufferedChars, new ClientSocket.Events() {
          @Override
          public void drained() {
            if (stream != null && stream.isPaused()) {
              stream.resume();
            }
          }

          @Override
          public void silent(Duration silence) {
            LOG.info("ws={} client={} silent for {} s: closing", id, clientAddress,
                silence.toSeconds());
            fail(StreamErrorCondition.CONNECTION_TIMEOUT, null, StatusCode.SHUTDOWN);
          }
        });
  }

  // ---- the socket's events, handed over by SocketListener, on the loop

  /** The connection is up. */
  void socketOpened(Session session) {
    socket.opened(session);
  }

  /** A text message. */
  void textReceived(String text) {
    socket.heard();
    received(text);
    demandIfWritable();
  }

  /** A binary message: "Data frame messages in the XMPP subprotocol MUST be of the text type". */
  void binaryReceived() {
    fail(StreamErrorCondition.UNSUPPORTED_ENCODING, "binary message (expected: text)",
        StatusCode.BAD_DATA);
    demandIfWritable();
  }

  /** A ping or a pong: the client is there. */
  void controlReceived() {
    socket.heard();
    demandIfWritable();
  }

  /** The connection closed or failed. */
  void socketClosed(int statusCode, String reason) {
    ended(statusCode, reason);
  }

  /** The stream's event loop. */
  EventLoop loop() {
    return loop;
  }

  // ---- the client's side

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
      sendClose(Frames.closeSeeOther(services.seeOtherUri()));
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

  /** §3.7: a restart, after SASL: the server's stream starts anew on the same connection. */
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
      sendClose(Frames.close());
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
    sendClose(Frames.close());
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
        if (openSent && !closeSent) {
          // the client's <close/> was answered by the server's </stream:stream>: answer it,
          // then the client, the closing party, closes the socket (§3.6)
          sendClose(Frames.close());
          socket.awaitClose();
        }
      }
      case OPEN, OPENING -> {
        LOG.info("ws={} client={} upstream closed: {}", id, clientAddress, reason);
        if (UpstreamListener.STREAM_CLOSED_BY_SERVER.equals(reason) && openSent) {
          sendClose(Frames.close());
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
    return state != State.CLOSED && socket.hasRoom();
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
        sendClose(Frames.closeSeeOther(seeOtherUri));
      } else {
        send(StreamErrorCondition.SYSTEM_SHUTDOWN.element(null).xml());
        sendClose(Frames.close());
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
    sendClose(Frames.close());
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
    socket.close(statusCode, reason);
  }

  /** The socket is gone, cleanly or not: end the server's stream if it still runs. */
  private void ended(int statusCode, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    boolean clean = state == State.CLOSING;
    state = State.CLOSED;
    socket.ended();
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
    if (state != State.CLOSED) {
      socket.send(text);
    }
  }

  /** The {@code <close/>} that ends the stream: once. */
  private void sendClose(String close) {
    if (!closeSent) {
      closeSent = true;
      send(close);
    }
  }

  private void demandIfWritable() {
    if (state == State.CLOSED) {
      return;
    }
    if (stream == null || stream.isWritable()) {
      socket.demand();
    } else {
      awaitingWritable = true;
    }
  }
}
