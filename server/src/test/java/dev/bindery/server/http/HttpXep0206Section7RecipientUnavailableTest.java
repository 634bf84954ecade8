package dev.bindery.server.http;

import static dev.bindery.server.http.ScriptedBindery.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.testing.XmlTree;
import dev.bindery.server.http.ScriptedBindery.Session;
import java.util.List;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * XEP-0206 v1.4 §7 "recipient-unavailable"
 * (https://xmpp.org/extensions/xep-0206.html#recipient-unavailable), over real HTTP against the
 * scripted server: what the server sent a session that ends by inactivity ({@code inactivity='2'})
 * before the client collected it goes back to the server.
 *
 * <p>"It is possible that a connection manager will receive a stanza for delivery to a client
 * even though the client connection is no longer active [...]. In this case, the connection
 * manager would return an error to the XMPP server; it is RECOMMENDED that the connection
 * manager proceed as follows [...]"
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpXep0206Section7RecipientUnavailableTest {

  private static final String CLIENT = "jabber:client";
  private static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

  private ScriptedBindery cm;

  @BeforeAll
  void start() throws Exception {
    cm = ScriptedBindery.start(ScriptedBindery.FAST);
  }

  @AfterAll
  void stop() throws Exception {
    cm.close();
  }

  /*
   * "1. If the delivered stanza was <presence/>, silently drop the stanza and do not return an
   * error to the sender. 2. If the delivered stanza was <iq/>, return a <service-unavailable/>
   * error to the sender. 3. If the delivered stanza was <message/>, return a
   * <recipient-unavailable/> error to the sender."
   */
  @Test
  void undeliveredStanzasAreBouncedWhenTheSessionDiesOfInactivity() throws Exception {
    Session s = cm.open(1000);
    s.upstream().send("<presence from='juliet@localhost/balcony'/>"
        + "<iq from='juliet@localhost/balcony' type='get' id='ping'>"
        + "<ping xmlns='urn:xmpp:ping'/></iq>"
        + "<message from='juliet@localhost/balcony' type='chat' id='m1'>"
        + "<body>wherefore art thou</body></message>");

    String received = s.upstream().awaitReceived("</stream:stream>", PATIENCE);

    List<XmlTree> sent = XmlTree.parse(received).elements();
    assertThat(sent).noneMatch(e -> e.name().getLocalPart().equals("presence"));
    XmlTree iq = only(sent, "iq");
    assertThat(iq.name()).isEqualTo(new QName(CLIENT, "iq"));
    assertThat(iq.attribute("type")).isEqualTo("error");
    assertThat(iq.attribute("to")).isEqualTo("juliet@localhost/balcony");
    assertThat(iq.attribute("id")).isEqualTo("ping");
    assertThat(condition(iq)).isEqualTo(new QName(STANZAS, "service-unavailable"));

    XmlTree message = only(sent, "message");
    assertThat(message.name()).isEqualTo(new QName(CLIENT, "message"));
    assertThat(message.attribute("type")).isEqualTo("error");
    assertThat(message.attribute("to")).isEqualTo("juliet@localhost/balcony");
    assertThat(message.attribute("id")).isEqualTo("m1");
    assertThat(condition(message)).isEqualTo(new QName(STANZAS, "recipient-unavailable"));
    // the content goes back too, so the server can store the message offline
    assertThat(message.elements()).anySatisfy(e -> {
      assertThat(e.name()).isEqualTo(new QName(CLIENT, "body"));
      assertThat(e.text()).isEqualTo("wherefore art thou");
    });
  }

  private static XmlTree only(List<XmlTree> elements, String localName) {
    List<XmlTree> matching = elements.stream()
        .filter(e -> e.name().getLocalPart().equals(localName)).toList();
    assertThat(matching).as("%s elements sent upstream", localName).hasSize(1);
    return matching.get(0);
  }

  /** The defined condition inside the stanza's {@code <error/>}. */
  private static QName condition(XmlTree stanza) {
    XmlTree error = stanza.elements().stream()
        .filter(e -> e.name().equals(new QName(CLIENT, "error"))).findFirst()
        .orElseThrow(() -> new AssertionError("no <error/> in " + stanza));
    return error.elements().get(0).name();
  }
}
