package dev.bindery.protocol.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.Stanza;
import java.util.List;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodyTest {

  private static final Stanza PRESENCE =
      new Stanza(Namespaces.JABBER_CLIENT, "presence", "<presence xmlns=\"jabber:client\"/>");

  private static Body withRid(String rid) {
    return Body.builder().attribute(BodyAttribute.RID, rid).build();
  }

  @Test
  void ridInRangeIsRead() {
    assertThat(withRid("1").rid()).hasValue(1);
    assertThat(withRid("1573741820").rid()).hasValue(1573741820L);
    assertThat(withRid("9007199254740991").rid()).hasValue(Body.MAX_RID);
    assertThat(withRid("007").rid()).hasValue(7);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "-1", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "abc",
      "9007199254740992", "99999999999999999999", "\u0661"})
  void invalidRidIsEmpty(String rid) {
    assertThat(withRid(rid).rid()).isEmpty();
  }

  @Test
  void missingRidIsEmpty() {
    assertThat(Body.empty().rid()).isEmpty();
  }

  @Test
  void unsignedLongHonoursItsBounds() {
    Body body = Body.builder().attribute(BodyAttribute.WAIT, "60").build();

    assertThat(body.unsignedLong(BodyAttribute.WAIT, 0, 60)).hasValue(60);
    assertThat(body.unsignedLong(BodyAttribute.WAIT, 0, 59)).isEmpty();
    assertThat(body.unsignedLong(BodyAttribute.WAIT, 61, 100)).isEmpty();
    assertThat(body.unsignedLong(BodyAttribute.HOLD, 0, 100)).isEmpty();
  }

  @Test
  void typeAndRestartFlags() {
    assertThat(Body.builder().terminate(null).build().isTerminate()).isTrue();
    assertThat(Body.builder().attribute(BodyAttribute.TYPE, "error").build().isTerminate()).isFalse();
    assertThat(Body.builder().attribute(BodyAttribute.XMPP_RESTART, "true").build().isRestart())
        .isTrue();
    assertThat(Body.builder().attribute(BodyAttribute.XMPP_RESTART, "1").build().isRestart())
        .isFalse();
    // the unqualified 'restart' is not XEP-0206's
    assertThat(Body.builder().attribute(new QName("restart"), "true").build().isRestart()).isFalse();
  }

  @Test
  void terminateWithAConditionSetsBothAttributes() {
    Body body = Body.builder().terminate(BindingCondition.ITEM_NOT_FOUND).build();

    assertThat(body.attribute(BodyAttribute.TYPE)).hasValue("terminate");
    assertThat(body.condition()).contains(BindingCondition.ITEM_NOT_FOUND);
  }

  @Test
  void terminateWithoutAConditionHasNone() {
    Body body = Body.builder().terminate(BindingCondition.BAD_REQUEST).terminate(null).build();

    assertThat(body.has(BodyAttribute.CONDITION)).isFalse();
    assertThat(body.condition()).isEmpty();
  }

  @Test
  void nullValueRemovesAnAttribute() {
    Body body = Body.builder().sid("s").attribute(BodyAttribute.SID, (String) null).build();

    assertThat(body.sid()).isEmpty();
    assertThat(body).isSameAs(Body.empty());
  }

  @Test
  void isImmutable() {
    Body.Builder builder = Body.builder().sid("s").payload(PRESENCE);
    Body body = builder.build();
    builder.rid(5).payload(PRESENCE);

    assertThat(body.rid()).isEmpty();
    assertThat(body.payloads()).hasSize(1);
    assertThatThrownBy(() -> body.attributes().put(BodyAttribute.RID, "1"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> body.payloads().add(PRESENCE))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toBuilderStartsFromTheBody() {
    Body body = Body.builder().sid("s").rid(3).payload(PRESENCE).build();

    Body copy = body.toBuilder().rid(4).build();

    assertThat(copy.sid()).hasValue("s");
    assertThat(copy.rid()).hasValue(4);
    assertThat(copy.payloads()).containsExactly(PRESENCE);
    assertThat(body.rid()).hasValue(3);
  }

  @Test
  void equalityIsByValue() {
    Body a = Body.builder().sid("s").rid(1).payloads(List.of(PRESENCE)).build();
    Body b = Body.builder().rid(1).sid("s").payload(PRESENCE).build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(b.toBuilder().rid(2).build());
    assertThat(a).isNotEqualTo(Body.builder().sid("s").rid(1).build());
  }
}
