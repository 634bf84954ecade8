package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.RID;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.creation;
import static dev.bindery.protocol.session.Driver.message;
import static dev.bindery.protocol.session.Driver.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.Cancel;
import dev.bindery.protocol.session.Action.CloseUpstream;
import dev.bindery.protocol.session.Action.EndSession;
import dev.bindery.protocol.session.Action.Respond;
import dev.bindery.protocol.session.Action.Schedule;
import dev.bindery.protocol.session.Action.SendUpstream;
import dev.bindery.protocol.session.Event.UpstreamReceived;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * XEP-0124 v1.11.2 §15 "Protecting Insecure Sessions" (https://xmpp.org/extensions/xep-0124.html#keys).
 */
class Xep0124Section15KeysTest {

  /* K(1) = hex(SHA-1("seed-one")), K(n) = hex(SHA-1(K(n-1))): the client sends K4, K3, K2, K1. */
  private static final String K1 = "035807771e42856c283c034f59b37669fd667dd3";
  private static final String K2 = "2b1944a9e6bc1370fd8da47a6b793cdd09932957";
  private static final String K3 = "a73c7365f48d0e4374caac5563dca939ec7c1c34";
  private static final String K4 = "fc5e8d5994cef4257eed6252c328399eb02a68ad";
  /* A second sequence, from "seed-two". */
  private static final String J2 = "79ce774b6b710e4030883aff2b1390b47948b02e";
  private static final String J3 = "0439b304c88652da469476708312066a63cdc40c";

  private static final Stanza HELLO = message("hello");
  private static final Body ITEM_NOT_FOUND =
      Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build();

  private static Driver withNewkey(String newkey) {
    return Driver.open(creation().attribute(BodyAttribute.NEWKEY, newkey).build(),
        SessionLimits.DEFAULTS);
  }

  private static Body.Builder keyed(long rid, String key, Stanza... payloads) {
    return request(rid, payloads).attribute(BodyAttribute.KEY, key);
  }

  /*
   * "The client MUST set the 'key' attribute of all subsequent requests to the value of the next
   * key in the generated sequence" / "The connection manager MAY verify the key by calculating
   * the SHA-1 hash of the key and performing a case insensitive comparison of it to the 'newkey'
   * attribute of the previous request (or the 'key' attribute if the 'newkey' attribute was not
   * set)."
   */
  @Test
  void keysOfTheSequenceAreAccepted() {
    Driver d = withNewkey(K4);

    assertThat(d.arrive(2, keyed(RID + 1, K3, HELLO).build(), T0 + 100)).containsExactly(
        new Cancel(Timer.INACTIVITY),
        new SendUpstream(List.of(HELLO)),
        new Schedule(new Timer.Wait(2), T0 + 100 + 60_000));
    assertThat(d.arrive(3, keyed(RID + 2, K2, HELLO).build(), T0 + 200))
        .contains(new SendUpstream(List.of(HELLO)), new Respond(2, Body.empty()));
    assertThat(d.arrive(4, keyed(RID + 3, K1, HELLO).build(), T0 + 300))
        .contains(new SendUpstream(List.of(HELLO)), new Respond(3, Body.empty()));
    assertThat(d.session.ended()).isFalse();
  }

  /* "Because case is not significant in hexadecimal encoding, key comparisons SHOULD be case insensitive." */
  @Test
  void keyComparisonIgnoresCase() {
    Driver d = withNewkey(K4.toUpperCase(Locale.ROOT));

    assertThat(d.arrive(2, keyed(RID + 1, K3).build(), T0 + 100))
        .containsExactly(new Cancel(Timer.INACTIVITY), new Schedule(new Timer.Wait(2), T0 + 100 + 60_000));
  }

  /*
   * "If the values do not match (or if it receives a request without a 'key' attribute and the
   * 'newkey' or 'key' attribute of the previous request was set), then the connection manager
   * MUST NOT process the element, MUST terminate the session, and MUST return an
   * 'item-not-found' terminal binding error."
   */
  @Test
  void wrongKeyTerminatesWithItemNotFoundWithoutForwardingThePayload() {
    Driver d = withNewkey(K4);

    // the client reveals a key whose SHA-1 is not the newkey it sent before
    List<Action> actions = d.arrive(2, keyed(RID + 1, "not-the-preimage", HELLO).build(), T0 + 100);

    assertThat(actions).containsExactly(
        new Respond(2, ITEM_NOT_FOUND),
        new CloseUpstream(),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.ITEM_NOT_FOUND));
  }

  /* "(or if it receives a request without a 'key' attribute and the 'newkey' or 'key' attribute of the previous request was set)" */
  @Test
  void missingKeyTerminatesWithItemNotFound() {
    Driver d = withNewkey(K4);
    d.arrive(2, keyed(RID + 1, K3, HELLO).build(), T0 + 100);

    List<Action> actions = d.arrive(3, request(RID + 2, HELLO).build(), T0 + 200);

    assertThat(actions).containsExactly(
        new Respond(3, ITEM_NOT_FOUND),
        new CloseUpstream(),
        new Cancel(new Timer.Wait(2)),
        new Respond(2, Body.builder().terminate(BindingCondition.OTHER_REQUEST).build()),
        new Cancel(Timer.INACTIVITY),
        new EndSession(BindingCondition.ITEM_NOT_FOUND));
  }

  /* An attacker who saw a key cannot use it again: the next request needs its preimage. */
  @Test
  void replayedKeyTerminatesWithItemNotFound() {
    Driver d = withNewkey(K4);
    d.arrive(2, keyed(RID + 1, K3, HELLO).build(), T0 + 100);

    assertThat(d.arrive(3, keyed(RID + 2, K3, HELLO).build(), T0 + 200))
        .startsWith(new Respond(3, ITEM_NOT_FOUND))
        .noneMatch(SendUpstream.class::isInstance)
        .endsWith(new EndSession(BindingCondition.ITEM_NOT_FOUND));
  }

  /* The creation newkey itself is not a valid key: it is the hash, not the preimage. */
  @Test
  void sendingTheNewkeyAsKeyTerminates() {
    Driver d = withNewkey(K4);

    assertThat(d.arrive(2, keyed(RID + 1, K4).build(), T0 + 100))
        .endsWith(new EndSession(BindingCondition.ITEM_NOT_FOUND));
  }

  /*
   * §15.5: "Set the 'key' attribute of the request to the next value in the old sequence (i.e.
   * K(1), the last value). Set the 'newkey' attribute of the request to the value K(n) from the
   * new sequence."
   */
  @Test
  void newkeyWithKeySwitchesToANewSequence() {
    Driver d = withNewkey(K2);
    assertThat(d.arrive(2, keyed(RID + 1, K1, HELLO).attribute(BodyAttribute.NEWKEY, J3).build(),
        T0 + 100)).contains(new SendUpstream(List.of(HELLO)));

    assertThat(d.arrive(3, keyed(RID + 2, J2, HELLO).build(), T0 + 200))
        .contains(new SendUpstream(List.of(HELLO)))
        .noneMatch(EndSession.class::isInstance);
  }

  /* After the switch the old sequence is over. */
  @Test
  void oldSequenceIsRefusedAfterTheSwitch() {
    Driver d = withNewkey(K3);
    d.arrive(2, keyed(RID + 1, K2, HELLO).attribute(BodyAttribute.NEWKEY, J3).build(), T0 + 100);

    assertThat(d.arrive(3, keyed(RID + 2, K1, HELLO).build(), T0 + 200))
        .endsWith(new EndSession(BindingCondition.ITEM_NOT_FOUND));
  }

  /* Keys follow the requests, so they are checked in rid order whatever order requests arrive in (§14.2). */
  @Test
  void keysAreCheckedInRidOrder() {
    Driver d = withNewkey(K4);
    assertThat(d.arrive(3, keyed(RID + 2, K2, HELLO).build(), T0 + 100)).isEmpty();

    List<Action> actions = d.arrive(2, keyed(RID + 1, K3, HELLO).build(), T0 + 200);

    assertThat(actions).filteredOn(SendUpstream.class::isInstance).hasSize(2);
    assertThat(actions).noneMatch(EndSession.class::isInstance);
  }

  /* A repeated request is not checked again: its key was used up by the original. */
  @Test
  void repeatedRequestGetsTheBufferedResponseWithoutAKeyCheck() {
    Driver d = withNewkey(K4);
    d.arrive(2, keyed(RID + 1, K3, HELLO).build(), T0 + 100);
    d.on(new UpstreamReceived(List.of(message("reply")), T0 + 200));

    assertThat(d.arrive(3, keyed(RID + 1, K3, HELLO).build(), T0 + 300)).containsExactly(
        new Respond(3, Body.builder().payload(message("reply")).build()));
  }

  /* "If the session is secure, it is not necessary to use this key sequencing mechanism." */
  @Test
  void sessionWithoutNewkeyChecksNoKeys() {
    Driver d = Driver.open();

    assertThat(d.arrive(2, request(RID + 1, HELLO).build(), T0 + 100))
        .contains(new SendUpstream(List.of(HELLO)));
    assertThat(d.arrive(3, keyed(RID + 2, "anything", HELLO).build(), T0 + 200))
        .contains(new SendUpstream(List.of(HELLO)))
        .noneMatch(EndSession.class::isInstance);
  }
}
