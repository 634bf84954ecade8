package dev.bindery.client;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe: public methods may be called from any thread; all state is confined to the
 * session's {@link SerialExecutor}. One XMPP client session over BOSH (XEP-0206): it logs in with
 * SASL PLAIN, restarts the stream, binds a resource, establishes the legacy session if the server
 * requires it, sends initial presence, then sends and receives chat messages until
 * {@link #disconnect()}.
 *
 * <pre>
 *   AWAIT_FEATURES --PLAIN--> AUTHENTICATING --success/restart--> AWAIT_BIND_FEATURES
 *     --bind--> BINDING --(session)--> ESTABLISHING --presence--> ONLINE --disconnect--> CLOSED
 * </pre>
 *
 * <p>Many clients can share one {@link BoshTransport} and one executor: no thread is tied to a
 * session.
 */
public final class BoshClient {

  private static final Logger LOG = LoggerFactory.getLogger(BoshClient.class);

  /** Initial rids stay below this, so a session can never count past 2^53-1 (§14.1). */
  static final long MAX_INITIAL_RID = 1L << 52;

  private static final String BIND_ID = "bind_1";
  private static final String SESSION_ID = "session_1";

  enum Phase {
    NEW, AWAIT_FEATURES, AUTHENTICATING, AWAIT_BIND_FEATURES, BINDING, ESTABLISHING, ONLINE,
    CLOSING, CLOSED
  }

  private final Executor executor;
  private final BoshClientConfig config;
  private final MessageListener listener;
  private final BoshConnection connection;
  private final CompletableFuture<String> online = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private Phase phase = Phase.NEW;
  private boolean sessionRequired;
  private String jid;
  private long messageCount;
  /** A failure of the XMPP negotiation, reported once the session has been terminated. */
  private BoshException failure;

  BoshClient(BoshTransport transport, Executor executor, BoshClientConfig config,
      MessageListener listener, long initialRid) {
    this.executor = executor;
    this.config = Objects.requireNonNull(config, "config");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.connection = new BoshConnection(transport, executor, config, initialRid, new Events());
  }

  /**
   * A client that will log in as {@code config} through {@code transport}. Its work runs on
   * {@code executor}, shared with other clients; {@code listener} is called there.
   */
  public static BoshClient create(BoshTransport transport, Executor executor,
      BoshClientConfig config, MessageListener listener) {
    long initialRid = ThreadLocalRandom.current().nextLong(1, MAX_INITIAL_RID);
    return new BoshClient(transport, new SerialExecutor(executor), config, listener, initialRid);
  }

  /**
   * Creates the BOSH session and logs in. Completes with the bound full JID once initial presence
   * is sent, or exceptionally with a {@link BoshException}.
   */
  public CompletableFuture<String> connect() {
    executor.execute(() -> {
      if (phase == Phase.NEW) {
        phase = Phase.AWAIT_FEATURES;
        connection.open();
      }
    });
    return online;
  }

  /**
   * Sends a {@code chat} message to {@code to}. Completes when it is queued for sending, or
   * exceptionally with {@link IllegalStateException} if the client is not online.
   */
  public CompletableFuture<Void> sendMessage(String to, String body) {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(body, "body");
    CompletableFuture<Void> queued = new CompletableFuture<>();
    executor.execute(() -> {
      if (phase != Phase.ONLINE) {
        queued.completeExceptionally(new IllegalStateException("not online: " + phase));
        return;
      }
      connection.send(Stanzas.chatMessage("m" + ++messageCount, to, body));
      queued.complete(null);
    });
    return queued;
  }

  /**
   * Ends the session: unavailable presence in a terminate request (XEP-0124 §13) if online, an
   * empty terminate request otherwise. Returns {@link #closed()}.
   */
  public CompletableFuture<Void> disconnect() {
    executor.execute(() -> {
      if (phase == Phase.CLOSING || phase == Phase.CLOSED) {
        return;
      }
      boolean wasOnline = phase == Phase.ONLINE;
      phase = Phase.CLOSING;
      connection.terminate(wasOnline ? Stanzas.unavailablePresence() : "");
    });
    return closed;
  }

  /** Completes when the session is over: normally after a clean terminate, else exceptionally. */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  /** The full JID once online, e.g. {@code admin@localhost/abc}. */
  public CompletableFuture<String> online() {
    return online;
  }

  /** Who this client logs in as, and the BOSH parameters it asks for. */
  public BoshClientConfig config() {
    return config;
  }

  @Override
  public String toString() {
    return "BoshClient[" + config.bareJid() + "]";
  }

  private void onPayload(XmlElement payload) {
    if (payload.is(Xml.NS_STREAM, "features")) {
      onFeatures(payload);
    } else if (payload.namespace().equals(Xml.NS_SASL)) {
      onSasl(payload);
    } else if (isStanzaNamespace(payload.namespace())) {
      onStanza(payload);
    } else {
      LOG.debug("sid={} ignored payload {}", connection.sid(), payload);
    }
  }

  private void onFeatures(XmlElement features) {
    if (phase == Phase.AWAIT_FEATURES) {
      XmlElement mechanisms = features.child(Xml.NS_SASL, "mechanisms");
      List<String> offered = mechanisms == null ? List.of()
          : mechanisms.children(Xml.NS_SASL, "mechanism").stream()
              .map(m -> m.text().strip()).toList();
      if (!offered.contains(SaslPlain.MECHANISM)) {
        fail(new BoshException(BoshException.Kind.AUTHENTICATION, null,
            "the server does not offer SASL PLAIN (offered: " + offered + ")"));
        return;
      }
      phase = Phase.AUTHENTICATING;
      connection.send(Stanzas.auth(SaslPlain.MECHANISM,
          SaslPlain.initialResponse(config.username(), config.password())));
    } else if (phase == Phase.AWAIT_BIND_FEATURES) {
      if (features.child(Xml.NS_BIND, "bind") == null) {
        fail(new BoshException(BoshException.Kind.PROTOCOL, null,
            "the server offers no resource binding after authentication"));
        return;
      }
      XmlElement session = features.child(Xml.NS_SESSION, "session");
      sessionRequired = session != null && session.child(Xml.NS_SESSION, "optional") == null;
      phase = Phase.BINDING;
      connection.send(Stanzas.bind(BIND_ID, config.resource()));
    } else {
      LOG.debug("sid={} ignored stream features in phase {}", connection.sid(), phase);
    }
  }

  private void onSasl(XmlElement sasl) {
    if (phase != Phase.AUTHENTICATING) {
      LOG.debug("sid={} ignored SASL {} in phase {}", connection.sid(), sasl.name(), phase);
      return;
    }
    switch (sasl.name()) {
      case "success" -> {
        phase = Phase.AWAIT_BIND_FEATURES;
        connection.restart();
      }
      case "failure" -> {
        String condition = sasl.children().stream()
            .filter(c -> c.namespace().equals(Xml.NS_SASL) && !c.name().equals("text"))
            .map(XmlElement::name).findFirst().orElse("undefined-condition");
        String text = sasl.childText(Xml.NS_SASL, "text");
        fail(new BoshException(BoshException.Kind.AUTHENTICATION, condition,
            "authentication failed for " + config.bareJid() + ": " + condition
                + (text == null || text.isEmpty() ? "" : " (" + text + ")")));
      }
      default -> fail(new BoshException(BoshException.Kind.PROTOCOL, null,
          "unexpected SASL element for PLAIN: " + sasl.name()));
    }
  }

  private void onStanza(XmlElement stanza) {
    switch (stanza.name()) {
      case "iq" -> onIq(stanza);
      case "message" -> {
        ChatMessage message = ChatMessage.from(stanza);
        if (message != null) {
          deliver(message);
        }
      }
      default -> LOG.debug("sid={} ignored {}", connection.sid(), stanza);
    }
  }

  private void deliver(ChatMessage message) {
    try {
      listener.onMessage(message);
    } catch (RuntimeException e) {
      LOG.error("sid={} message listener failed on a message from {}", connection.sid(),
          message.from(), e);
    }
  }

  private void onIq(XmlElement iq) {
    String type = iq.attribute("type");
    String id = iq.attribute("id");
    if ("get".equals(type) || "set".equals(type)) {
      if (phase != Phase.CLOSING) {
        connection.send(Stanzas.serviceUnavailable(iq));
      }
    } else if (phase == Phase.BINDING && BIND_ID.equals(id)) {
      XmlElement bind = iq.child(Xml.NS_BIND, "bind");
      String bound = bind == null ? null : bind.childText(Xml.NS_BIND, "jid");
      if (!"result".equals(type) || bound == null || bound.isEmpty()) {
        fail(iqFailure("resource binding", iq));
        return;
      }
      jid = bound;
      if (sessionRequired) {
        phase = Phase.ESTABLISHING;
        connection.send(Stanzas.session(SESSION_ID));
      } else {
        goOnline();
      }
    } else if (phase == Phase.ESTABLISHING && SESSION_ID.equals(id)) {
      if (!"result".equals(type)) {
        fail(iqFailure("session establishment", iq));
        return;
      }
      goOnline();
    }
  }

  private void goOnline() {
    phase = Phase.ONLINE;
    connection.send(Stanzas.presence());
    LOG.info("sid={} online as {}", connection.sid(), jid);
    online.complete(jid);
  }

  /** Ends the session politely and reports {@code cause} once it is over. */
  private void fail(BoshException cause) {
    if (failure == null) {
      failure = cause;
    }
    phase = Phase.CLOSING;
    connection.terminate("");
  }

  private void onClosed(BoshException cause) {
    phase = Phase.CLOSED;
    BoshException reported = failure != null ? failure : cause;
    if (reported == null) {
      online.completeExceptionally(new IllegalStateException("disconnected before online"));
      closed.complete(null);
    } else {
      LOG.debug("sid={} failed: {}", connection.sid(), reported.getMessage());
      online.completeExceptionally(reported);
      closed.completeExceptionally(reported);
    }
  }

  private BoshException iqFailure(String what, XmlElement iq) {
    XmlElement error = iq.child(iq.namespace(), "error");
    String condition = error == null ? null : error.children().stream()
        .filter(c -> c.namespace().equals(Xml.NS_STANZAS) && !c.name().equals("text"))
        .map(XmlElement::name).findFirst().orElse(null);
    return new BoshException(BoshException.Kind.PROTOCOL, condition,
        what + " failed for " + config.bareJid() + ": "
            + (condition == null ? "type=" + iq.attribute("type") : condition));
  }

  /**
   * XEP-0206 §3: stanzas are qualified by {@code jabber:client}, but many connection managers
   * leave them in the body's namespace (the note there), so both are accepted.
   */
  private static boolean isStanzaNamespace(String namespace) {
    return namespace.equals(Xml.NS_CLIENT) || namespace.equals(Xml.NS_HTTPBIND);
  }

  /** The connection's callbacks, already on the session's executor. */
  private final class Events implements BoshConnection.Handler {

    @Override
    public void onPayload(XmlElement payload) {
      BoshClient.this.onPayload(payload);
    }

    @Override
    public void onClosed(BoshException cause) {
      BoshClient.this.onClosed(cause);
    }
  }
}
