package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.CREATION_REQUEST;
import static dev.bindery.protocol.session.Driver.DOMAIN;
import static dev.bindery.protocol.session.Driver.FEATURES;
import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.SID;
import static dev.bindery.protocol.session.Driver.STREAM_ID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.creation;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.OpenUpstream;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Event.TimerFired;
import dev.bindery.protocol.session.Event.UpstreamOpened;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.StreamHeader;
import java.util.List;
import java.util.Set;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §7 "Initiating a BOSH Session"
 * (https://xmpp.org/extensions/xep-0124.html#session).
 */
class Xep0124Section7SessionCreationTest {

  /** The creation response for {@link Driver#creation()} under the default limits. */
  private static Body.Builder expectedCreationResponse() {
    return Body.builder()
        .attribute(BodyAttribute.SID, SID)
        .attribute(BodyAttribute.WAIT, "60")
        .attribute(BodyAttribute.REQUESTS, "2")
        .attribute(BodyAttribute.HOLD, "1")
        .attribute(BodyAttribute.INACTIVITY, "60")
        .attribute(BodyAttribute.POLLING, "2")
        .attribute(BodyAttribute.MAXPAUSE, "120")
        .attribute(BodyAttribute.VER, "1.6")
        .attribute(BodyAttribute.STREAM, Driver.FIRST_STREAM)
        .attribute(BodyAttribute.FROM, DOMAIN)
        .attribute(BodyAttribute.XMPP_VERSION, "1.0")
        .attribute(BodyAttribute.XMPP_RESTARTLOGIC, "true");
  }

  /** Starts a session and lets the server answer with its stream and features. */
  private static Respond creationResponse(Body creation, SessionLimits limits) {
    Driver d = Driver.create(creation, limits);
    d.start(CREATION_REQUEST, T0);
    d.on(new UpstreamOpened(STREAM_ID, DOMAIN, "1.0", T0 + 5));
    List<Action> actions = d.on(new UpstreamReceived(List.of(FEATURES), T0 + 10));
    return actions.stream().filter(Respond.class::isInstance).map(Respond.class::cast)
        .findFirst().orElseThrow();
  }

  private static Body creationResponse(Body creation) {
    return creationResponse(creation, SessionLimits.DEFAULTS).body();
  }

  /* "The first request from the client to the connection manager requests a new session." */
  @Test
  void creationRequestOpensTheUpstreamStreamAndIsHeld() {
    Driver d = Driver.create();

    List<Action> actions = d.start(CREATION_REQUEST, T0);

    assertThat(actions).containsExactly(
        new OpenUpstream(new StreamHeader(DOMAIN, null, "1.0", "en")),
        new Schedule(new Timer.Wait(CREATION_REQUEST), T0 + 60_000));
  }

  /*
   * "The <body/> element of the connection manager's response to the client's session creation
   * request MUST possess the following attributes [...]: 'sid' [...] 'wait' [...] 'requests'"
   * and "SHOULD also include [...] 'ver' [...] 'polling' [...] 'inactivity' [...] 'hold' [...]
   * 'from'".
   */
  @Test
  void creationResponseCarriesTheSessionParameters() {
    Driver d = Driver.create();
    d.start(CREATION_REQUEST, T0);
    assertThat(d.on(new UpstreamOpened(STREAM_ID, DOMAIN, "1.0", T0 + 5))).isEmpty();

    List<Action> actions = d.on(new UpstreamReceived(List.of(FEATURES), T0 + 10));

    assertThat(actions).containsExactly(
        new Cancel(new Timer.Wait(CREATION_REQUEST)),
        new Respond(CREATION_REQUEST, expectedCreationResponse()
            .attribute(BodyAttribute.AUTHID, STREAM_ID)
            .payload(FEATURES)
            .build()),
        new Schedule(Timer.INACTIVITY, T0 + 10 + 60_000));
  }

  /* "'wait' [...] The time MUST be less than or equal to the value specified in the session request." */
  @Test
  void waitIsWhatTheClientAskedWhenWithinTheLimit() {
    Driver d = Driver.create(creation().attribute(BodyAttribute.WAIT, "30").build(),
        SessionLimits.DEFAULTS);

    assertThat(d.start(CREATION_REQUEST, T0))
        .contains(new Schedule(new Timer.Wait(CREATION_REQUEST), T0 + 30_000));
    assertThat(d.session.waitSeconds()).isEqualTo(30);
    assertThat(creationResponse(creation().attribute(BodyAttribute.WAIT, "30").build())
        .attribute(BodyAttribute.WAIT)).hasValue("30");
  }

  /* "'wait' [...] The time MUST be less than or equal to the value specified in the session request." */
  @Test
  void waitIsCappedByTheConnectionManager() {
    Body asksForLong = creation().attribute(BodyAttribute.WAIT, "3600").build();
    Driver d = Driver.create(asksForLong, SessionLimits.DEFAULTS);

    assertThat(d.start(CREATION_REQUEST, T0))
        .contains(new Schedule(new Timer.Wait(CREATION_REQUEST), T0 + 60_000));
    assertThat(creationResponse(asksForLong).attribute(BodyAttribute.WAIT)).hasValue("60");
  }

  /*
   * "'requests' [...] This value must be larger than the 'hold' attribute value specified in the
   * session request. The RECOMMENDED value is one more than the value of the 'hold' attribute".
   */
  @Test
  void requestsIsOneMoreThanHold() {
    SessionLimits holdUpToThree = new SessionLimits(60, 3, 60, 2, 5);

    Body response = creationResponse(creation().attribute(BodyAttribute.HOLD, "2").build(),
        holdUpToThree).body();

    assertThat(response.attribute(BodyAttribute.HOLD)).hasValue("2");
    assertThat(response.attribute(BodyAttribute.REQUESTS)).hasValue("3");
  }

  /* "'hold' [...] This value MUST NOT be greater than the value specified by the client in the session request." */
  @Test
  void holdIsNeverMoreThanTheClientAsked() {
    Body response = creationResponse(creation().attribute(BodyAttribute.HOLD, "0").build());

    assertThat(response.attribute(BodyAttribute.HOLD)).hasValue("0");
    assertThat(response.attribute(BodyAttribute.REQUESTS)).hasValue("1");
  }

  /* The connection manager also keeps fewer requests than the client asks for when it must. */
  @Test
  void holdIsCappedByTheConnectionManager() {
    Body response = creationResponse(creation().attribute(BodyAttribute.HOLD, "5").build());

    assertThat(response.attribute(BodyAttribute.HOLD)).hasValue("1");
    assertThat(response.attribute(BodyAttribute.REQUESTS)).hasValue("2");
  }

  /*
   * "'ver' -- This attribute specifies the highest version of the BOSH protocol that the
   * connection manager supports, or the version specified by the client in its request, whichever
   * is lower."
   */
  @Test
  void verIsTheLowerOfOursAndTheClients() {
    assertThat(creationResponse(creation().attribute(BodyAttribute.VER, "1.6").build())
        .attribute(BodyAttribute.VER)).hasValue("1.6");
    assertThat(creationResponse(creation().attribute(BodyAttribute.VER, "1.10").build())
        .attribute(BodyAttribute.VER)).hasValue("1.10");
    assertThat(creationResponse(creation().attribute(BodyAttribute.VER, "1.20").build())
        .attribute(BodyAttribute.VER)).hasValue("1.11");
    assertThat(creationResponse(creation().attribute(BodyAttribute.VER, "2.0").build())
        .attribute(BodyAttribute.VER)).hasValue("1.11");
  }

  /* A legacy client sent no 'ver'; it is told ours. */
  @Test
  void legacyClientIsToldOurVersion() {
    Body legacy = creation().attribute(BodyAttribute.VER, null).build();

    assertThat(creationResponse(legacy).attribute(BodyAttribute.VER)).hasValue("1.11");
    assertThat(Driver.create(legacy, SessionLimits.DEFAULTS).session.legacy()).isTrue();
    assertThat(Driver.create().session.legacy()).isFalse();
  }

  /* "'inactivity' -- This attribute specifies the longest allowable inactivity period (in seconds)." */
  @Test
  void inactivityAndPollingComeFromTheLimits() {
    Body response = creationResponse(creation().build(), new SessionLimits(60, 1, 45, 7, 5)).body();

    assertThat(response.attribute(BodyAttribute.INACTIVITY)).hasValue("45");
    assertThat(response.attribute(BodyAttribute.POLLING)).hasValue("7");
  }

  /* "'from' -- This attribute communicates the identity of the backend server to which the client is attempting to connect." */
  @Test
  void fromIsTheServedDomain() {
    assertThat(creationResponse(creation().build()).attribute(BodyAttribute.FROM)).hasValue(DOMAIN);
  }

  /*
   * "The <body/> element of the first request MAY possess a 'content' attribute. This specifies
   * the value of the HTTP Content-Type header that MUST appear in all the connection manager's
   * responses during the session."
   */
  @Test
  void contentTypeIsKeptForTheWholeSession() {
    Driver withContent = Driver.create(
        creation().attribute(BodyAttribute.CONTENT, "text/html; charset=utf-8").build(),
        SessionLimits.DEFAULTS);

    assertThat(withContent.session.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(Driver.create().session.contentType()).isNull();
  }

  /* "(they SHOULD NOT be included in any other responses)" */
  @Test
  void sessionParametersAreOnlyInTheCreationResponse() {
    Driver d = Driver.open();
    d.arrive(2, request(RID + 1).build(), T0 + 100);

    List<Action> actions = d.on(new TimerFired(new Timer.Wait(2), T0 + 100 + 60_000));

    Body later = actions.stream().filter(Respond.class::isInstance).map(Respond.class::cast)
        .findFirst().orElseThrow().body();
    Set<QName> creationOnly = Set.of(BodyAttribute.SID, BodyAttribute.WAIT, BodyAttribute.REQUESTS,
        BodyAttribute.VER, BodyAttribute.POLLING, BodyAttribute.INACTIVITY, BodyAttribute.HOLD,
        BodyAttribute.FROM, BodyAttribute.XMPP_RESTARTLOGIC, BodyAttribute.AUTHID,
        BodyAttribute.MAXPAUSE, BodyAttribute.ACCEPT, BodyAttribute.STREAM);
    assertThat(later.attributes().keySet()).doesNotContainAnyElementsOf(creationOnly);
    assertThat(later).isEqualTo(Body.empty());
  }

  /* "A connection manager MAY include an 'ack' attribute (set to the value of the 'rid' attribute of the session creation request)" */
  @Test
  void ackInTheCreationResponseIsTheCreationRid() {
    assertThat(creationResponse(creation().attribute(BodyAttribute.ACK, "1").build())
        .attribute(BodyAttribute.ACK)).hasValue(Long.toString(RID));
    assertThat(creationResponse(creation().build()).has(BodyAttribute.ACK)).isFalse();
  }

  /* A wait that runs out before the server answers still gives the client its session. */
  @Test
  void creationResponseWithoutFeaturesWhenWaitRunsOutFirst() {
    Driver d = Driver.create();
    d.start(CREATION_REQUEST, T0);

    List<Action> actions = d.on(new TimerFired(new Timer.Wait(CREATION_REQUEST), T0 + 60_000));

    assertThat(actions).containsExactly(
        new Cancel(new Timer.Wait(CREATION_REQUEST)),
        new Respond(CREATION_REQUEST, expectedCreationResponse().build()),
        new Schedule(Timer.INACTIVITY, T0 + 60_000 + 60_000));
  }

  /*
   * "If the connection manager supports session pausing (see Inactivity) then it SHOULD advertise
   * that to the client by including a 'maxpause' attribute in the session creation response
   * element. The value of the attribute indicates the maximum length of a temporary session pause
   * (in seconds) that a client can request."
   */
  @Test
  void maxpauseIsAdvertisedFromTheLimits() {
    assertThat(creationResponse(creation().build()).attribute(BodyAttribute.MAXPAUSE))
        .hasValue(Integer.toString(SessionLimits.DEFAULT_MAX_PAUSE));
    assertThat(creationResponse(creation().build(), SessionLimits.DEFAULTS.withMaxPause(300))
        .body().attribute(BodyAttribute.MAXPAUSE)).hasValue("300");
  }

  /* A connection manager that does not support pausing does not advertise it. */
  @Test
  void noMaxpauseWhenPausingIsDisabled() {
    Body response = creationResponse(creation().build(), SessionLimits.DEFAULTS.withMaxPause(0))
        .body();

    assertThat(response.has(BodyAttribute.MAXPAUSE)).isFalse();
  }

  /*
   * "'accept' -- This attribute specifies the content encodings the connection manager can
   * decompress [...]. If the 'accept' attribute is not included in the response then the
   * client MUST NOT send requests with Content-Encoding."
   */
  @Test
  void acceptListsTheEncodingsTheLimitsAllow() {
    Body response = creationResponse(creation().build(),
        SessionLimits.DEFAULTS.withAccept("deflate,gzip")).body();

    assertThat(response.attribute(BodyAttribute.ACCEPT)).hasValue("deflate,gzip");
    assertThat(creationResponse(creation().build()).has(BodyAttribute.ACCEPT)).isFalse();
  }

  /*
   * §16.2: "If a connection manager supports the multi-streams feature, it MUST include a
   * 'stream' attribute in its Session Creation Response."
   */
  @Test
  void creationResponseNamesTheFirstStream() {
    assertThat(creationResponse(creation().build()).attribute(BodyAttribute.STREAM))
        .hasValue(Driver.FIRST_STREAM);
  }

  /* A creation response carrying everything at once still validates against the schema. */
  @Test
  void creationResponseWithEveryOptionalAttribute() {
    Body response = creationResponse(creation().attribute(BodyAttribute.ACK, "1").build(),
        SessionLimits.DEFAULTS.withAccept("gzip")).body();

    assertThat(response).isEqualTo(expectedCreationResponse()
        .attribute(BodyAttribute.ACCEPT, "gzip")
        .attribute(BodyAttribute.ACK, Long.toString(RID))
        .attribute(BodyAttribute.AUTHID, STREAM_ID)
        .payload(FEATURES)
        .build());
  }
}
