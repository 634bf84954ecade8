package dev.bindery.server.http;

import static dev.bindery.server.http.ScriptedBindery.PATIENCE;
import static dev.bindery.server.http.ScriptedBindery.poll;
import static dev.bindery.server.http.ScriptedBindery.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.body.BodyAttribute;
import dev.bindery.server.BoshHttpClient.Reply;
import dev.bindery.server.ScriptedXmppServer;
import dev.bindery.server.http.ScriptedBindery.Session;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * XEP-0124 v1.11.2 §16 "Multiple Streams" (https://xmpp.org/extensions/xep-0124.html#multi),
 * over real HTTP against the scripted server: each stream is a connection of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpXep0124Section16MultipleStreamsTest {

  private ScriptedBindery cm;

  @BeforeAll
  void start() throws Exception {
    cm = ScriptedBindery.start();
  }

  @AfterAll
  void stop() throws Exception {
    cm.close();
  }

  /*
   * §16.2: "If the connection manager included a 'stream' attribute in its session creation
   * response then the client MAY ask it to open another stream at any time by sending it an
   * empty <body/> element with a 'to' attribute." / "[...] the connection manager MUST [...]
   * open a new stream with the specified server [...], generate a new stream name, and respond
   * to the client with the name. The response MAY also include the 'from' attribute, but it
   * SHOULD NOT include 'sid', 'requests', 'polling', 'hold', 'inactivity', 'maxpause', 'accept',
   * 'charsets', 'ver' or 'wait' attributes."
   */
  @Test
  void addStreamOpensAnotherConnectionAndTheResponseNamesTheStream() throws Exception {
    Session s = cm.open(1000);
    String first = s.created().attribute(BodyAttribute.STREAM).orElseThrow();
    int connections = cm.xmpp.accepted();

    Body added = cm.client.post(request(s.sid(), 1001,
        "to='localhost' xml:lang='en' xmpp:version='1.0'", "")).body();

    ScriptedXmppServer.Connection second = cm.xmpp.connection(connections);
    assertThat(second.awaitReceived("<stream:stream ")).contains("to='localhost'");
    assertThat(added.attribute(BodyAttribute.STREAM))
        .hasValueSatisfying(name -> assertThat(name).isNotEmpty().isNotEqualTo(first));
    assertThat(added.attribute(BodyAttribute.FROM)).contains("localhost");
    assertThat(added.attributes()).doesNotContainKeys(BodyAttribute.SID, BodyAttribute.REQUESTS,
        BodyAttribute.POLLING, BodyAttribute.HOLD, BodyAttribute.INACTIVITY,
        BodyAttribute.MAXPAUSE, BodyAttribute.ACCEPT, BodyAttribute.CHARSETS, BodyAttribute.VER,
        BodyAttribute.WAIT);
  }

  /*
   * §16.4: "If more than one stream is open within a session, then the connection manager MUST
   * include a 'stream' attribute in all its non-empty response <body/> elements." / §16.5: "A
   * client MAY close one of the streams within a session by sending a <body/> element with a
   * 'type' attribute set to "terminate" and a 'stream' attribute [...]". The other stream
   * carries on.
   */
  @Test
  void streamsAreAddressedByNameAndOneCanBeClosedAlone() throws Exception {
    Session s = cm.open(2000);
    String firstName = s.created().attribute(BodyAttribute.STREAM).orElseThrow();
    int index = cm.xmpp.accepted();
    Body added = cm.client.post(request(s.sid(), 2001, "to='localhost' xmpp:version='1.0'", ""))
        .body();
    String secondName = added.attribute(BodyAttribute.STREAM).orElseThrow();
    ScriptedXmppServer.Connection second = cm.xmpp.connection(index);

    // a payload naming the second stream goes there only
    CompletableFuture<Reply> held = cm.client.postAsync(request(s.sid(), 2002,
        "stream='" + secondName + "'", "<message to='juliet@localhost' id='via-second'/>"));
    second.awaitReceived("id=\"via-second\"");
    assertThat(s.upstream().received()).doesNotContain("via-second");

    // the server's data on the second stream comes back named
    second.send("<message from='juliet@localhost/balcony' id='on-second'/>");
    Body fromSecond = held.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body();
    assertThat(fromSecond.attribute(BodyAttribute.STREAM)).contains(secondName);
    assertThat(fromSecond.payloads()).singleElement()
        .satisfies(m -> assertThat(m.xml()).contains("on-second"));

    // and on the first stream, named too
    CompletableFuture<Reply> next = cm.client.postAsync(poll(s.sid(), 2003));
    s.upstream().send("<message from='romeo@localhost/orchard' id='on-first'/>");
    Body fromFirst = next.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body();
    assertThat(fromFirst.attribute(BodyAttribute.STREAM)).contains(firstName);
    assertThat(fromFirst.payloads()).singleElement()
        .satisfies(m -> assertThat(m.xml()).contains("on-first"));

    // closing the second stream leaves the session and the first stream
    Body closed = cm.client.post(request(s.sid(), 2004,
        "type='terminate' stream='" + secondName + "'", "")).body();
    assertThat(closed.isTerminate()).isTrue();
    assertThat(closed.condition()).isEmpty();
    second.awaitReceived("</stream:stream>");
    assertThat(s.upstream().received()).doesNotContain("</stream:stream>");
    assertThat(cm.alive(s.sid())).isTrue();

    CompletableFuture<Reply> after = cm.client.postAsync(request(s.sid(), 2005, "",
        "<message to='juliet@localhost' id='after-close'/>"));
    s.upstream().awaitReceived("id=\"after-close\"");
    assertThat(second.received()).doesNotContain("after-close");
    s.upstream().send("<message id='still-open'/>");
    assertThat(after.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body().payloads())
        .singleElement().satisfies(m -> assertThat(m.xml()).contains("still-open"));
  }
}
