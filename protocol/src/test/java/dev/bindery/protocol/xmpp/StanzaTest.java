package dev.bindery.protocol.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StanzaTest {

  private static Stanza stanza(String namespace, String localName) {
    return new Stanza(namespace, localName, "<" + localName + "/>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"message", "presence", "iq"})
  void jabberClientStanzasAreRoutable(String name) {
    assertThat(stanza(Namespaces.JABBER_CLIENT, name).isRoutable()).isTrue();
    assertThat(stanza("jabber:server", name).isRoutable()).isFalse();
    assertThat(stanza("", name).isRoutable()).isFalse();
  }

  @Test
  void otherElementsAreNotRoutable() {
    assertThat(stanza(Namespaces.JABBER_CLIENT, "body").isRoutable()).isFalse();
    assertThat(stanza(Namespaces.SASL, "auth").isRoutable()).isFalse();
  }

  @Test
  void recognizesStreamElements() {
    Stanza features = stanza(Namespaces.STREAM, "features");
    Stanza error = stanza(Namespaces.STREAM, "error");
    Stanza other = stanza(Namespaces.STREAM, "stream");
    Stanza lookalike = stanza(Namespaces.JABBER_CLIENT, "features");

    assertThat(features.inStreamNamespace()).isTrue();
    assertThat(features.isStreamFeatures()).isTrue();
    assertThat(features.isStreamError()).isFalse();
    assertThat(error.isStreamError()).isTrue();
    assertThat(error.isStreamFeatures()).isFalse();
    assertThat(other.inStreamNamespace()).isTrue();
    assertThat(other.isStreamFeatures()).isFalse();
    assertThat(lookalike.inStreamNamespace()).isFalse();
    assertThat(lookalike.isStreamFeatures()).isFalse();
  }

  @Test
  void rejectsNullComponents() {
    assertThatThrownBy(() -> new Stanza(null, "a", "<a/>")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Stanza("", null, "<a/>")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Stanza("", "a", null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void toStringLeavesThePayloadOut() {
    Stanza secret = new Stanza(Namespaces.SASL, "auth",
        "<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">c2VjcmV0</auth>");

    assertThat(secret.toString()).contains("auth").doesNotContain("c2VjcmV0");
  }
}
