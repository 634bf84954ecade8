package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.DOMAIN;
import static dev.bindery.protocol.session.Driver.FEATURES;
import static dev.bindery.protocol.session.Driver.FIRST_STREAM;
import static dev.bindery.protocol.session.Driver.OTHER_DOMAIN;
import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.SECOND_STREAM;
import static dev.bindery.protocol.session.Driver.STREAM_ERROR;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.message;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.CloseUpstream;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.OpenUpstream;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.RestartUpstream;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Event.UpstreamClosed;
import dev.bindery.protocol.session.Event.UpstreamOpened;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.session.Event.UpstreamStreamError;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamHeader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §16 "Multiple Streams" (https://xmpp.org/extensions/xep-0124.html#multi).
 */
class Xep0124Section16MultipleStreamsTest {

  private static final long WAIT_MS = 60_000;
  private static final long INACTIVITY_MS = 60_000;
  private static final StreamHeader OTHER_HEADER = new StreamHeader(OTHER_DOMAIN, null, "1.0", "en");
  private static final Stanza HELLO = message("hello");
  private static final Stanza UNAVAILABLE = new Stanza(Namespaces.JABBER_CLIENT, "presence",
      "<presence xmlns=\"jabber:client\" type=\"unavailable\"/>");

  /** "an empty <body/> element with a 'to' attribute", with the 'xml:lang' it SHOULD have. */
  private static Body.Builder addStream(long rid, String to) {
    return request(rid)
        .attribute(BodyAttribute.TO, to)
        .attribute(BodyAttribute.XML_LANG, "en")
        .attribute(BodyAttribute.XMPP_VERSION, "1.0");
  }

  /** The response naming the second stream. */
  /**
   * The response to an add-stream request: the new stream's name, its {@code from}, and
   * (XEP-0206 §4: "SHOULD also appear on add-stream requests and responses") {@code xmpp:version},
   * here inherited from the session's creation request.
   */
  private static Body.Builder announced() {
    return Body.builder()
        .attribute(BodyAttribute.STREAM, SECOND_STREAM)
        .attribute(BodyAttribute.FROM, OTHER_DOMAIN)
        .attribute(BodyAttribute.XMPP_VERSION, "1.0");
  }

  private static Body.Builder on(String stream, Stanza... payloads) {
    return Body.builder().attribute(BodyAttribute.STREAM, stream).payloads(List.of(payloads));
  }

  /**
   * A session with a second stream to {@link Driver#OTHER_DOMAIN}, added on RID + 1 and announced
   * with its features; nothing held.
   */
  private static Driver twoStreams() {
    Driver d = Driver.open();
    d.arrive(2, addStream(RID + 1, OTHER_DOMAIN).build(), T0 + 100);
    d.on(new UpstreamOpened(1, "other-1", OTHER_DOMAIN, "1.0", T0 + 110));
    assertThat(d.on(new UpstreamReceived(1, List.of(FEATURES), T0 + 120)))
        .contains(new Respond(2, announced().payload(FEATURES).build()));
    return d;
  }

  /*
   * "If a connection manager supports the multi-streams feature, it MUST include a 'stream'
   * attribute in its Session Creation Response." / "The 'stream' attribute identifies the first
   * stream to be opened for the session."
   */
  @Test
  void creationResponseNamesTheFirstStream() {
    Driver d = Driver.create();
    d.start(Driver.CREATION_REQUEST, T0);

    Body response = Driver.responseTo(Driver.CREATION_REQUEST,
        d.on(new UpstreamReceived(List.of(FEATURES), T0)));

    assertThat(response.attribute(BodyAttribute.STREAM)).hasValue(FIRST_STREAM);
  }

  /*
   * "Otherwise it MUST open a new stream with the specified server [...], generate a new stream
   * name, and respond to the client with the name. The response MAY also include the 'from'
   * attribute, but it SHOULD NOT include 'sid', 'requests', 'polling', 'hold', 'inactivity',
   * 'maxpause', 'accept', 'charsets', 'ver' or 'wait' attributes."
   */
  @Test
  void addStreamRequestOpensAStreamAndItsResponseNamesIt() {
    Driver d = Driver.open();

    assertThat(d.arrive(2, addStream(RID + 1, OTHER_DOMAIN).build(), T0 + 100)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new OpenUpstream(1, OTHER_HEADER),
        new Schedule(new Timer.Wait(2), T0 + 100 + WAIT_MS));
    assertThat(d.on(new UpstreamOpened(1, "other-1", OTHER_DOMAIN, "1.0", T0 + 110))).isEmpty();
    // XEP-0206 §4: the new stream's features come with its name
    assertThat(d.on(new UpstreamReceived(1, List.of(FEATURES), T0 + 120))).containsExactly(
        new Cancel(new Timer.Wait(2)),
        new Respond(2, announced().payload(FEATURES).build()),
        new Schedule(Timer.INACTIVITY, T0 + 120 + INACTIVITY_MS));
  }

  /* The stream is named even when its server is slow and the wait runs out first. */
  @Test
  void addStreamResponseNamesTheStreamWhenTheWaitRunsOut() {
    Driver d = Driver.open();
    d.arrive(2, addStream(RID + 1, OTHER_DOMAIN).build(), T0 + 100);

    assertThat(d.on(new TimerFired(new Timer.Wait(2), T0 + 100 + WAIT_MS))).containsExactly(
        new Cancel(new Timer.Wait(2)),
        new Respond(2, announced().build()),
        new Schedule(Timer.INACTIVITY, T0 + 100 + WAIT_MS + INACTIVITY_MS));
  }

  /* News of the first stream does not wait behind a held add-stream request: the request is answered with the name alone. */
  @Test
  void addStreamRequestIsAnsweredWhenAnotherStreamHasNews() {
    Driver d = Driver.open();
    d.arrive(2, addStream(RID + 1, OTHER_DOMAIN).build(), T0 + 100);

    assertThat(d.on(new UpstreamReceived(0, List.of(HELLO), T0 + 200))).containsExactly(
        new Cancel(new Timer.Wait(2)),
        new Respond(2, announced().build()),
        new Schedule(Timer.INACTIVITY, T0 + 200 + INACTIVITY_MS));
    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 300))
        .contains(new Respond(3, on(FIRST_STREAM, HELLO).build()));
  }

  /*
   * §17.2 host-unknown: "The target domain specified in the 'to' attribute or the target host or
   * port specified in the 'route' attribute is unknown to the connection manager."
   */
  @Test
  void addStreamToAnUnservedDomainIsHostUnknown() {
    Driver d = Driver.open();

    assertThat(d.arrive(2, addStream(RID + 1, "elsewhere.example.net").build(), T0 + 100))
        .containsExactly(
            new Cancel(Timer.INACTIVITY),
            new Respond(2, Body.builder().terminate(BindingCondition.HOST_UNKNOWN).build()),
            new CloseUpstream(0),
            new Cancel(Timer.INACTIVITY),
            new EndSession(BindingCondition.HOST_UNKNOWN));
  }

  /* Each added stream gets a new name. */
  @Test
  void everyAddedStreamGetsItsOwnName() {
    Driver d = twoStreams();
    d.arrive(3, addStream(RID + 2, DOMAIN).build(), T0 + 200);

    assertThat(d.on(new TimerFired(new Timer.Wait(3), T0 + 200 + WAIT_MS))).contains(
        new Respond(3, Body.builder()
            .attribute(BodyAttribute.STREAM, Driver.THIRD_STREAM)
            .attribute(BodyAttribute.FROM, DOMAIN)
            .attribute(BodyAttribute.XMPP_VERSION, "1.0")
            .build()));
  }

  /*
   * "If more than one stream has been opened within a session, then all non-empty <body/>
   * elements sent by the connection manager MUST include a 'stream' attribute that specifies
   * which stream all the payloads it contains belong to."
   */
  @Test
  void serverPayloadsNameTheirStream() {
    Driver d = twoStreams();
    d.arrive(3, request(RID + 2).build(), T0 + 200);
    d.arrive(4, request(RID + 3).build(), T0 + 2_300);

    assertThat(d.on(new UpstreamReceived(0, List.of(HELLO), T0 + 2_400))).containsExactly(
        new Cancel(new Timer.Wait(4)),
        new Respond(4, on(FIRST_STREAM, HELLO).build()),
        new Schedule(Timer.INACTIVITY, T0 + 2_400 + INACTIVITY_MS));
    d.arrive(5, request(RID + 4).build(), T0 + 2_500);
    assertThat(d.on(new UpstreamReceived(1, List.of(message("other")), T0 + 2_600)))
        .contains(new Respond(5, on(SECOND_STREAM, message("other")).build()));
  }

  /* "Note: A <body/> element MUST NOT contain different payloads for different streams." */
  @Test
  void aBodyNeverMixesStreams() {
    Driver d = twoStreams();
    Stanza a = message("for a");
    Stanza b = message("for b");
    d.on(new UpstreamReceived(0, List.of(a), T0 + 200));
    d.on(new UpstreamReceived(1, List.of(b), T0 + 210));

    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 300))
        .contains(new Respond(3, on(FIRST_STREAM, a).build()));
    assertThat(d.arrive(4, request(RID + 3).build(), T0 + 400))
        .contains(new Respond(4, on(SECOND_STREAM, b).build()));
  }

  /*
   * "Note: Empty <body/> elements that do not include a 'from' attribute SHOULD NOT include a
   * 'stream' attribute (since nothing is being transmitted for any stream)."
   */
  @Test
  void emptyResponsesNameNoStream() {
    Driver d = twoStreams();
    d.arrive(3, request(RID + 2).build(), T0 + 200);

    assertThat(d.on(new TimerFired(new Timer.Wait(3), T0 + 200 + WAIT_MS)))
        .contains(new Respond(3, Body.empty()));
  }

  /* "The client SHOULD include a 'stream' attribute for the same purpose." */
  @Test
  void clientPayloadWithAStreamNameGoesToThatStream() {
    Driver d = twoStreams();

    assertThat(d.arrive(3, request(RID + 2, HELLO).attribute(BodyAttribute.STREAM, SECOND_STREAM)
        .build(), T0 + 200)).containsExactly(
            new Cancel(Timer.INACTIVITY),
            new SendUpstream(1, List.of(HELLO)),
            new Schedule(new Timer.Wait(3), T0 + 200 + WAIT_MS));
  }

  /* "If no stream name is specified by the client then the connection manager MUST broadcast the payloads over all open streams." */
  @Test
  void clientPayloadWithoutAStreamNameIsBroadcast() {
    Driver d = twoStreams();

    assertThat(d.arrive(3, request(RID + 2, HELLO).build(), T0 + 200)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(0, List.of(HELLO)),
        new SendUpstream(1, List.of(HELLO)),
        new Schedule(new Timer.Wait(3), T0 + 200 + WAIT_MS));
  }

  /* A restart naming a stream restarts that stream (XEP-0206 §5). */
  @Test
  void restartWithAStreamNameRestartsThatStream() {
    Driver d = twoStreams();

    assertThat(d.arrive(3, request(RID + 2)
        .attribute(BodyAttribute.STREAM, SECOND_STREAM)
        .attribute(BodyAttribute.TO, OTHER_DOMAIN)
        .attribute(BodyAttribute.XMPP_RESTART, "true")
        .build(), T0 + 200)).containsExactly(
            new Cancel(Timer.INACTIVITY),
            new RestartUpstream(1, OTHER_HEADER),
            new Schedule(new Timer.Wait(3), T0 + 200 + WAIT_MS));
  }

  /*
   * "If a stream name does not correspond to one of the session's open streams, then the
   * receiving connection manager SHOULD return an 'item-not-found' terminal binding error".
   */
  @Test
  void unknownStreamNameIsItemNotFound() {
    Driver d = twoStreams();

    assertThat(d.arrive(3, request(RID + 2, HELLO).attribute(BodyAttribute.STREAM, "no-such")
        .build(), T0 + 200)).containsExactly(
            new Cancel(Timer.INACTIVITY),
            new Respond(3, Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build()),
            new CloseUpstream(0),
            new CloseUpstream(1),
            new Cancel(Timer.INACTIVITY),
            new EndSession(BindingCondition.ITEM_NOT_FOUND));
  }

  /*
   * "Empty <body/> elements that do not include a 'from' attribute SHOULD NOT include a 'stream'
   * attribute [...]. If such a <body/> element does include a 'stream' attribute then the
   * receiving entity SHOULD ignore the attribute." A stream that never existed included.
   */
  @Test
  void emptyRequestNamingAnUnknownStreamIsAnOrdinaryPoll() {
    Driver d = twoStreams();

    assertThat(d.arrive(3, request(RID + 2).attribute(BodyAttribute.STREAM, "no-such").build(),
        T0 + 200)).containsExactly(
            new Cancel(Timer.INACTIVITY),
            new Schedule(new Timer.Wait(3), T0 + 200 + WAIT_MS));
    assertThat(d.on(new UpstreamReceived(1, List.of(HELLO), T0 + 300)))
        .contains(new Respond(3, on(SECOND_STREAM, HELLO).build()));
  }

  /*
   * "If more than one stream is open within a session, the client MAY close one open stream at
   * any time using the procedure described in the section Terminating the BOSH Session above,
   * taking care to specify the stream name with a 'stream' attribute."
   */
  @Test
  void terminateWithAStreamNameClosesOnlyThatStream() {
    Driver d = twoStreams();
    d.arrive(3, request(RID + 2).build(), T0 + 200);

    List<Action> actions = d.arrive(4, request(RID + 3, UNAVAILABLE)
        .attribute(BodyAttribute.STREAM, SECOND_STREAM).terminate(null).build(), T0 + 300);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(1, List.of(UNAVAILABLE)),
        new CloseUpstream(1),
        new Cancel(new Timer.Wait(3)),
        new Respond(3, Body.empty()),
        new Cancel(new Timer.Wait(4)),
        new Respond(4, Body.builder().terminate(null)
            .attribute(BodyAttribute.STREAM, SECOND_STREAM).build()),
        new Schedule(Timer.INACTIVITY, T0 + 300 + INACTIVITY_MS));
    assertThat(d.session.ended()).isFalse();
    // the first stream goes on
    assertThat(d.arrive(5, request(RID + 4, HELLO).build(), T0 + 400))
        .contains(new SendUpstream(0, List.of(HELLO)))
        .noneMatch(a -> a instanceof SendUpstream s && s.stream() == 1);
  }

  /* What the closed stream's server still had for the client goes out with the close. */
  @Test
  void closingAStreamDeliversWhatItHadWaiting() {
    Driver d = twoStreams();
    d.on(new UpstreamReceived(1, List.of(HELLO), T0 + 150));

    List<Action> actions = d.arrive(3, request(RID + 2)
        .attribute(BodyAttribute.STREAM, SECOND_STREAM).terminate(null).build(), T0 + 300);

    assertThat(actions).contains(new Respond(3, Body.builder().terminate(null)
        .attribute(BodyAttribute.STREAM, SECOND_STREAM).payload(HELLO).build()));
  }

  /*
   * "However, if the receiving entity has only just closed the stream (and the sender might not
   * have been aware of that when it sent the payloads), then it MAY instead simply silently
   * ignore any payloads the <body/> element contains."
   */
  @Test
  void payloadForAJustClosedStreamIsIgnored() {
    Driver d = twoStreams();
    d.arrive(3, request(RID + 2).attribute(BodyAttribute.STREAM, SECOND_STREAM).terminate(null)
        .build(), T0 + 200);

    assertThat(d.arrive(4, request(RID + 3, HELLO).attribute(BodyAttribute.STREAM, SECOND_STREAM)
        .build(), T0 + 300)).containsExactly(
            new Cancel(Timer.INACTIVITY),
            new Schedule(new Timer.Wait(4), T0 + 300 + WAIT_MS));
    assertThat(d.session.ended()).isFalse();
  }

  /* Elements a closed stream's server sends afterwards are not delivered. */
  @Test
  void closedStreamNewsIsDropped() {
    Driver d = twoStreams();
    d.arrive(3, request(RID + 2).attribute(BodyAttribute.STREAM, SECOND_STREAM).terminate(null)
        .build(), T0 + 200);

    assertThat(d.on(new UpstreamReceived(1, List.of(HELLO), T0 + 250))).isEmpty();
    assertThat(d.on(new UpstreamClosed(1, "closed", T0 + 260))).isEmpty();
    assertThat(d.session.bufferedCount()).isZero();
  }

  /* "If the client closes the last stream the connection manager MUST terminate the session." */
  @Test
  void closingTheLastStreamEndsTheSession() {
    Driver d = twoStreams();
    d.arrive(3, request(RID + 2).attribute(BodyAttribute.STREAM, SECOND_STREAM).terminate(null)
        .build(), T0 + 200);

    List<Action> actions = d.arrive(4, request(RID + 3)
        .attribute(BodyAttribute.STREAM, FIRST_STREAM).terminate(null).build(), T0 + 300);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new CloseUpstream(0),
        new Cancel(new Timer.Wait(4)),
        new Respond(4, Body.builder().terminate(null).build()),
        new Cancel(Timer.INACTIVITY),
        new EndSession(null));
  }

  /*
   * "If the client does not specify a stream name then the connection manager MUST close all
   * open streams (sending any payloads the terminate request contains to all streams), and
   * terminate the session."
   */
  @Test
  void terminateWithoutAStreamNameClosesEveryStreamAndEndsTheSession() {
    Driver d = twoStreams();

    List<Action> actions = d.arrive(3, request(RID + 2, UNAVAILABLE).terminate(null).build(),
        T0 + 200);

    assertThat(actions).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(0, List.of(UNAVAILABLE)),
        new SendUpstream(1, List.of(UNAVAILABLE)),
        new CloseUpstream(0),
        new CloseUpstream(1),
        new Cancel(new Timer.Wait(3)),
        new Respond(3, Body.builder().terminate(null).build()),
        new Cancel(Timer.INACTIVITY),
        new EndSession(null));
  }

  /*
   * "If more than one stream is open within a session, the connection manager MAY include a
   * 'stream' attribute in a fatal binding error [...]. If a 'stream' attribute is specified then
   * the stream MUST be closed by both entities but the session SHOULD NOT be terminated."
   */
  @Test
  void upstreamFailureOfOneStreamIsReportedWithItsNameAndTheSessionGoesOn() {
    Driver d = twoStreams();
    d.arrive(3, request(RID + 2).build(), T0 + 200);

    assertThat(d.on(new UpstreamClosed(1, "reset by peer", T0 + 300))).containsExactly(
        new CloseUpstream(1),
        new Cancel(new Timer.Wait(3)),
        new Respond(3, Body.builder().terminate(BindingCondition.REMOTE_CONNECTION_FAILED)
            .attribute(BodyAttribute.STREAM, SECOND_STREAM).build()),
        new Schedule(Timer.INACTIVITY, T0 + 300 + INACTIVITY_MS));
    assertThat(d.session.ended()).isFalse();
    assertThat(d.arrive(4, request(RID + 3, HELLO).build(), T0 + 400))
        .contains(new SendUpstream(0, List.of(HELLO)))
        .noneMatch(a -> a instanceof SendUpstream s && s.stream() == 1);
  }

  /* With nothing held, the stream's failure (and its stream error, XEP-0206 §6) waits for the next request. */
  @Test
  void streamErrorOfOneStreamWaitsForTheNextRequest() {
    Driver d = twoStreams();

    assertThat(d.on(new UpstreamStreamError(1, STREAM_ERROR, T0 + 300)))
        .containsExactly(new CloseUpstream(1));
    assertThat(d.arrive(3, request(RID + 2).build(), T0 + 400)).contains(
        new Respond(3, Body.builder().terminate(BindingCondition.REMOTE_STREAM_ERROR)
            .attribute(BodyAttribute.STREAM, SECOND_STREAM).payload(STREAM_ERROR).build()));
    assertThat(d.session.ended()).isFalse();
  }

  /*
   * The failure of the last open stream ends the session: "If a 'stream' attribute is specified
   * then the stream MUST be closed by both entities but the session SHOULD NOT be terminated",
   * so the terminal body names no stream.
   */
  @Test
  void failureOfTheLastOpenStreamEndsTheSession() {
    Driver d = twoStreams();
    d.arrive(3, request(RID + 2).attribute(BodyAttribute.STREAM, SECOND_STREAM).terminate(null)
        .build(), T0 + 200);
    d.arrive(4, request(RID + 3).build(), T0 + 300);

    assertThat(d.on(new UpstreamStreamError(0, STREAM_ERROR, T0 + 400))).containsExactly(
        new CloseUpstream(0),
        new Cancel(new Timer.Wait(4)),
        new Respond(4, Body.builder().terminate(BindingCondition.REMOTE_STREAM_ERROR)
            .payload(STREAM_ERROR).build()),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.REMOTE_STREAM_ERROR));
  }

  /* §10: a pause answers a held add-stream request too, still naming the new stream. */
  @Test
  void pauseAnswersAHeldAddStreamRequestWithTheStreamName() {
    Driver d = Driver.open();
    d.arrive(2, addStream(RID + 1, OTHER_DOMAIN).build(), T0 + 100);

    List<Action> actions = d.arrive(3, request(RID + 2).attribute(BodyAttribute.PAUSE, "60")
        .build(), T0 + 200);

    assertThat(actions).contains(new Respond(2, announced().build()), new Respond(3, Body.empty()));
  }

  /* Events for a stream the session never opened are ignored. */
  @Test
  void eventsForAnUnknownStreamAreIgnored() {
    Driver d = Driver.open();

    assertThat(d.on(new UpstreamReceived(5, List.of(HELLO), T0 + 100))).isEmpty();
    assertThat(d.on(new UpstreamClosed(5, "closed", T0 + 110))).isEmpty();
    assertThat(d.on(new UpstreamStreamError(-1, STREAM_ERROR, T0 + 120))).isEmpty();
    assertThat(d.session.ended()).isFalse();
  }
}
