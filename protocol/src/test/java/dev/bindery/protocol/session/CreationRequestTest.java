package dev.bindery.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.body.BodyParseException;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CreationRequestTest {

  /** XEP-0124 §7.1 example 1, with XEP-0206's xmpp:version. */
  private static Body.Builder spec() {
    return Body.builder()
        .attribute(BodyAttribute.CONTENT, "text/xml; charset=utf-8")
        .attribute(BodyAttribute.FROM, "user@example.com")
        .attribute(BodyAttribute.HOLD, "1")
        .attribute(BodyAttribute.RID, "1573741820")
        .attribute(BodyAttribute.TO, "example.com")
        .attribute(BodyAttribute.ROUTE, "xmpp:example.com:9999")
        .attribute(BodyAttribute.VER, "1.6")
        .attribute(BodyAttribute.WAIT, "60")
        .attribute(BodyAttribute.ACK, "1")
        .attribute(BodyAttribute.XML_LANG, "en")
        .attribute(BodyAttribute.XMPP_VERSION, "1.0");
  }

  private static void assertRejected(Body.Builder body, BindingCondition condition, String message) {
    assertThatThrownBy(() -> CreationRequest.from(body.build()))
        .isInstanceOfSatisfying(BodyParseException.class,
            e -> assertThat(e.condition()).isEqualTo(condition))
        .hasMessageContaining(message);
  }

  @Test
  void readsEveryParameter() throws Exception {
    CreationRequest request = CreationRequest.from(spec().build());

    assertThat(request).isEqualTo(new CreationRequest(1573741820L, "example.com",
        "xmpp:example.com:9999", "user@example.com", "en", new BoshVersion(1, 6), 60, 1, true,
        "1.0", "text/xml; charset=utf-8", null));
    assertThat(request.legacy()).isFalse();
  }

  @Test
  void optionalParametersAreNullWhenAbsent() throws Exception {
    CreationRequest request = CreationRequest.from(Body.builder().rid(1)
        .attribute(BodyAttribute.TO, "example.com")
        .attribute(BodyAttribute.WAIT, "0")
        .attribute(BodyAttribute.HOLD, "0")
        .build());

    assertThat(request).isEqualTo(new CreationRequest(1, "example.com", null, null, null, null, 0,
        0, false, null, null, null));
  }

  /* XEP-0124 §15.1: "the client MAY include a 'newkey' attribute in its session creation request" */
  @Test
  void newkeyBeginsTheKeySequence() throws Exception {
    CreationRequest request = CreationRequest.from(spec()
        .attribute(BodyAttribute.NEWKEY, "ca393b51b682f61f98e7877d61146407f3d0a770").build());

    assertThat(request.newkey()).isEqualTo("ca393b51b682f61f98e7877d61146407f3d0a770");
  }

  @Test
  void clientWithoutVerIsLegacy() throws Exception {
    // XEP-0124 §17.1: "A legacy client [...] is a client [...] that did not include a 'ver'
    // attribute in its session creation request"
    CreationRequest request = CreationRequest.from(spec().attribute(BodyAttribute.VER, null).build());

    assertThat(request.ver()).isNull();
    assertThat(request.legacy()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "2", "true", "yes", ""})
  void acksOnlyWithAckOne(String ack) throws Exception {
    assertThat(CreationRequest.from(spec().attribute(BodyAttribute.ACK, ack).build()).acks()).isFalse();
  }

  @Test
  void noAckMeansNoAcks() throws Exception {
    assertThat(CreationRequest.from(spec().attribute(BodyAttribute.ACK, null).build()).acks())
        .isFalse();
  }

  @Test
  void toIsTrimmed() throws Exception {
    assertThat(CreationRequest.from(spec().attribute(BodyAttribute.TO, " example.com\t").build()).to())
        .isEqualTo("example.com");
  }

  @Test
  void unqualifiedVersionIsNotXmppVersion() throws Exception {
    CreationRequest request = CreationRequest.from(spec()
        .attribute(BodyAttribute.XMPP_VERSION, null)
        .attribute(new QName("version"), "1.0")
        .build());

    assertThat(request.xmppVersion()).isNull();
  }

  @Test
  void missingRidIsBadRequest() {
    assertRejected(spec().attribute(BodyAttribute.RID, null), BindingCondition.BAD_REQUEST,
        "missing or invalid rid: null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "abc", "1.5", "9007199254740992", ""})
  void invalidRidIsBadRequest(String rid) {
    assertRejected(spec().attribute(BodyAttribute.RID, rid), BindingCondition.BAD_REQUEST,
        "(expected: 1 ~ 9007199254740991)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void blankToIsImproperAddressing(String to) {
    assertRejected(spec().attribute(BodyAttribute.TO, to), BindingCondition.IMPROPER_ADDRESSING,
        "'to'");
  }

  @Test
  void missingToIsImproperAddressing() {
    // XEP-0124 §17.2 improper-addressing: "The initialization element lacks a 'to' or 'route'
    // attribute (or the attribute has no value)"
    assertRejected(spec().attribute(BodyAttribute.TO, null), BindingCondition.IMPROPER_ADDRESSING,
        "'to'");
  }

  @Test
  void missingWaitIsBadRequest() {
    assertRejected(spec().attribute(BodyAttribute.WAIT, null), BindingCondition.BAD_REQUEST,
        "missing or invalid wait: null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "86401", "60s", "1e3", "", "99999999999999999999"})
  void invalidWaitIsBadRequest(String wait) {
    assertRejected(spec().attribute(BodyAttribute.WAIT, wait), BindingCondition.BAD_REQUEST,
        "invalid wait");
  }

  @Test
  void waitUpToADayIsAccepted() throws Exception {
    assertThat(CreationRequest.from(spec().attribute(BodyAttribute.WAIT, "86400").build())
        .waitSeconds()).isEqualTo(86_400);
  }

  @Test
  void missingHoldIsBadRequest() {
    assertRejected(spec().attribute(BodyAttribute.HOLD, null), BindingCondition.BAD_REQUEST,
        "missing or invalid hold: null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1001", "one", "1.0", ""})
  void invalidHoldIsBadRequest(String hold) {
    assertRejected(spec().attribute(BodyAttribute.HOLD, hold), BindingCondition.BAD_REQUEST,
        "invalid hold");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1", "one.six", "1.6.0", "+1.6"})
  void invalidVerIsBadRequest(String ver) {
    assertRejected(spec().attribute(BodyAttribute.VER, ver), BindingCondition.BAD_REQUEST,
        "invalid ver: " + ver);
  }
}
