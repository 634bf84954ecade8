package dev.bindery.protocol.session;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.body.BodyParseException;
import dev.bindery.protocol.body.BodyWriter;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Event.RequestArrived;
import dev.bindery.protocol.session.Event.UpstreamOpened;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.testing.BodySchema;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;

/**
 * Not thread-safe. Drives one {@link BoshSession} in a test: builds the events, returns the
 * actions, and checks every body the session answers with against the XEP-0124 schema.
 */
final class Driver {

  static final String SID = "sid-1";
  static final String DOMAIN = "example.com";
  static final long RID = 1_000;
  /** The time of the creation request, in ms. */
  static final long T0 = 50_000;
  static final long CREATION_REQUEST = 1;
  static final String STREAM_ID = "stream-1";
  /** A second domain the test policy serves, for add-stream requests (§16). */
  static final String OTHER_DOMAIN = "conference.example.com";
  /** The names {@link TestStreamPolicy} hands out, in order: the first stream's is "stream-a". */
  static final String FIRST_STREAM = "stream-a";
  static final String SECOND_STREAM = "stream-b";
  static final String THIRD_STREAM = "stream-c";

  static final Stanza FEATURES = new Stanza(Namespaces.STREAM, "features",
      "<stream:features xmlns:stream=\"http://etherx.jabber.org/streams\">"
          + "<mechanisms xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">"
          + "<mechanism>PLAIN</mechanism></mechanisms></stream:features>");
  static final Stanza SUCCESS = new Stanza(Namespaces.SASL, "success",
      "<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");
  static final Stanza STREAM_ERROR = new Stanza(Namespaces.STREAM, "error",
      "<stream:error xmlns:stream=\"http://etherx.jabber.org/streams\">"
          + "<conflict xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/></stream:error>");

  final BoshSession session;

  private Driver(BoshSession session) {
    this.session = session;
  }

  /** The creation request every test starts from, as a client like Strophe sends it. */
  static Body.Builder creation() {
    return Body.builder()
        .rid(RID)
        .attribute(BodyAttribute.TO, DOMAIN)
        .attribute(BodyAttribute.XML_LANG, "en")
        .attribute(BodyAttribute.VER, "1.6")
        .attribute(BodyAttribute.WAIT, "60")
        .attribute(BodyAttribute.HOLD, "1")
        .attribute(BodyAttribute.XMPP_VERSION, "1.0");
  }

  /**
   * Not thread-safe. A deterministic {@link StreamPolicy}: serves {@link #DOMAIN} and
   * {@link #OTHER_DOMAIN}, and names streams "stream-a", "stream-b", … in order.
   */
  static final class TestStreamPolicy implements StreamPolicy {
    private int next;

    @Override
    public boolean serves(String domain) {
      return domain.equalsIgnoreCase(DOMAIN) || domain.equalsIgnoreCase(OTHER_DOMAIN);
    }

    @Override
    public String newStreamName() {
      return "stream-" + (char) ('a' + next++);
    }
  }

  /** A session for {@code creation}, not started yet. */
  static Driver create(Body creation, SessionLimits limits) {
    try {
      return new Driver(new BoshSession(SID, CreationRequest.from(creation), DOMAIN, limits,
          new TestStreamPolicy()));
    } catch (BodyParseException e) {
      throw new AssertionError("invalid creation request in the test: " + creation, e);
    }
  }

  static Driver create() {
    return create(creation().build(), SessionLimits.DEFAULTS);
  }

  /**
   * A session past its creation: started at {@link #T0}, upstream opened, features delivered on
   * the creation request; nothing held, the inactivity timer running.
   */
  static Driver open(Body creation, SessionLimits limits) {
    Driver d = create(creation, limits);
    d.start(CREATION_REQUEST, T0);
    d.on(new UpstreamOpened(STREAM_ID, DOMAIN, "1.0", T0));
    d.on(new UpstreamReceived(List.of(FEATURES), T0));
    return d;
  }

  static Driver open() {
    return open(creation().build(), SessionLimits.DEFAULTS);
  }

  /** A later request of this session. */
  static Body.Builder request(long rid, Stanza... payloads) {
    return Body.builder().sid(SID).rid(rid).payloads(List.of(payloads));
  }

  /** A {@code jabber:client} message stanza, as the parser makes it. */
  static Stanza message(String text) {
    return new Stanza(Namespaces.JABBER_CLIENT, "message",
        "<message xmlns=\"jabber:client\" to=\"juliet@example.com\"><body>" + text
            + "</body></message>");
  }

  List<Action> start(long requestId, long now) {
    return checked(session.start(requestId, now));
  }

  List<Action> start(long requestId, boolean secure, long now) {
    return checked(session.start(requestId, secure, now));
  }

  List<Action> on(Event event) {
    return checked(session.on(event));
  }

  List<Action> arrive(long requestId, Body body, long now) {
    return on(new RequestArrived(requestId, body, now));
  }

  /** The body of the first {@link Respond} to {@code requestId} in {@code actions}. */
  static Body responseTo(long requestId, List<Action> actions) {
    return actions.stream()
        .filter(a -> a instanceof Respond r && r.requestId() == requestId)
        .map(a -> ((Respond) a).body())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no response to " + requestId + " in " + actions));
  }

  /** A {@code jabber:client} stanza as the parser makes it, from its serialized form. */
  static Stanza stanza(String localName, String xml) {
    return new Stanza(Namespaces.JABBER_CLIENT, localName, xml);
  }

  private static List<Action> checked(List<Action> actions) {
    for (Action a : actions) {
      if (a instanceof Respond r) {
        BodySchema.assertValid(BodyWriter.toXml(r.body()));
      }
    }
    return actions;
  }
}
