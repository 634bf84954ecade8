package dev.bindery.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.protocol.body.BodyParser;
import dev.bindery.server.Bindery;
import dev.bindery.server.config.ServerConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Raw HTTP against Bindery relaying to a real Prosody: the session creation response (XEP-0124
 * §7.2, XEP-0206 §4) and the answer to an unknown sid (§14.3).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreationResponseIT {

  private static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";

  private final Closer closer = new Closer();
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final BodyParser parser = new BodyParser();
  private ProsodyServer prosody;
  private Bindery bindery;

  @BeforeAll
  void start() throws Exception {
    prosody = closer.register(ProsodyServer.start(ChatScenario.DOMAIN));
    bindery = closer.register(Bindery.start(ServerConfig.builder().port(0)
        .upstream(prosody.host(), prosody.c2sPort())
        .domains(List.of(prosody.domain())).build()));
  }

  @AfterAll
  void stop() throws Exception {
    closer.close();
  }

  @Test
  void creationResponseCarriesTheSessionParametersAndProsodysFeatures() throws Exception {
    Body body = post("<body rid='4242' to='localhost' xml:lang='en' wait='60' hold='1'"
        + " ver='1.6' content='text/xml; charset=utf-8' xmpp:version='1.0'"
        + " xmlns:xmpp='urn:xmpp:xbosh' " + NS + "/>");

    assertThat(body.sid()).hasValueSatisfying(sid -> assertThat(sid).hasSizeGreaterThan(20));
    assertThat(body.attributes()).containsEntry(BodyAttribute.WAIT, "60")
        .containsEntry(BodyAttribute.REQUESTS, "2")
        .containsEntry(BodyAttribute.HOLD, "1")
        .containsEntry(BodyAttribute.VER, "1.6")
        .containsEntry(BodyAttribute.FROM, "localhost")
        .containsEntry(BodyAttribute.XMPP_VERSION, "1.0")
        .containsEntry(BodyAttribute.XMPP_RESTARTLOGIC, "true")
        .containsKeys(BodyAttribute.INACTIVITY, BodyAttribute.POLLING, BodyAttribute.AUTHID,
            BodyAttribute.MAXPAUSE, BodyAttribute.STREAM);
    // Prosody's features, SASL mechanisms included, and never STARTTLS (XEP-0206 §2)
    assertThat(body.payloads()).singleElement().satisfies(features -> {
      assertThat(features.isStreamFeatures()).isTrue();
      assertThat(features.xml()).contains("<mechanism>PLAIN</mechanism>")
          .doesNotContain("starttls");
    });
  }

  @Test
  void unknownSidIsItemNotFound() throws Exception {
    Body body = post("<body rid='17' sid='no-such-session' " + NS + "/>");
    assertThat(body.isTerminate()).isTrue();
    assertThat(body.condition()).contains(BindingCondition.ITEM_NOT_FOUND);
  }

  private Body post(String xml) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(bindery.endpoint())
        .timeout(Duration.ofSeconds(70))
        .POST(HttpRequest.BodyPublishers.ofString(xml)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return parser.parse(response.body().getBytes(StandardCharsets.UTF_8));
  }
}
