package dev.bindery.protocol.session;

import static dev.bindery.protocol.session.Driver.CREATION_REQUEST;
import static dev.bindery.protocol.session.Driver.DOMAIN;
import static dev.bindery.protocol.session.Driver.T0;
import static dev.bindery.protocol.session.Driver.creation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.session.Action.OpenUpstream;
import dev.bindery.protocol.xmpp.StreamHeader;
import org.junit.jupiter.api.Test;

/**
 * XEP-0206 v1.4 §3 "Session Creation Request" (https://xmpp.org/extensions/xep-0206.html#initiate).
 */
class Xep0206Section3SessionCreationRequestTest {

  private static StreamHeader headerFor(dev.bindery.protocol.body.Body creation) {
    return ((OpenUpstream) Driver.create(creation, SessionLimits.DEFAULTS)
        .start(CREATION_REQUEST, T0).get(0)).header();
  }

  /*
   * "The client SHOULD include a 'version' attribute qualified by the 'urn:xmpp:xbosh' namespace
   * in its session creation request. This attribute corresponds to the 'version' attribute of the
   * XMPP <stream:stream/> element [...]. The connection manager SHOULD forward the value to the
   * XMPP server accordingly."
   */
  @Test
  void xmppVersionBecomesTheStreamVersion() {
    assertThat(headerFor(creation().build()).version()).isEqualTo("1.0");
  }

  /* Without it the client speaks pre-RFC XMPP: the stream gets no version either. */
  @Test
  void noXmppVersionMeansNoStreamVersion() {
    assertThat(headerFor(creation().attribute(BodyAttribute.XMPP_VERSION, null).build()).version())
        .isNull();
  }

  /*
   * "The connection manager can use the 'from' and 'to' attributes to populate the same
   * attributes on the stream header sent from the connection manager to the XMPP server".
   */
  @Test
  void toFromAndLangPopulateTheStreamHeader() {
    StreamHeader header = headerFor(creation()
        .attribute(BodyAttribute.FROM, "juliet@example.com")
        .attribute(BodyAttribute.XML_LANG, "fr")
        .build());

    assertThat(header).isEqualTo(new StreamHeader(DOMAIN, "juliet@example.com", "1.0", "fr"));
  }

  @Test
  void absentFromAndLangAreLeftOut() {
    StreamHeader header = headerFor(creation().attribute(BodyAttribute.XML_LANG, null).build());

    assertThat(header).isEqualTo(new StreamHeader(DOMAIN, null, "1.0", null));
  }
}
