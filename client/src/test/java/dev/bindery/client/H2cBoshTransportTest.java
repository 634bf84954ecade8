package dev.bindery.client;

import static dev.bindery.client.BoshClientTest.BIND_FEATURES;
import static dev.bindery.client.BoshClientTest.BIND_RESULT;
import static dev.bindery.client.BoshClientTest.CREATED;
import static dev.bindery.client.BoshClientTest.SASL_FEATURES;
import static dev.bindery.client.BoshClientTest.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.bindery.client.ScriptedH2cServer.Exchange;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/2 transport against a real Jetty server speaking h2c by prior knowledge (RFC 9113
 * §3.3), with BOSH answers scripted by the test.
 */
class H2cBoshTransportTest {

  static final Duration AWAIT = ScriptedH2cServer.AWAIT;
  static final Duration WAIT = Duration.ofSeconds(70);

  final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  final AtomicInteger connectionsOpened = new AtomicInteger();
  final AtomicInteger roundTrips = new AtomicInteger();
  final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void aSessionLogsInAndExchangesAMessageOverH2c() throws Exception {
    ScriptedH2cServer server = start(ScriptedH2cServer.h2c(128));
    H2cBoshTransport transport = transport(server, 1);
    EventLoopTransport.Session session = transport.newSession(group.next());
    List<ChatMessage> received = new CopyOnWriteArrayList<>();
    BoshClient client = new BoshClient(session, new SerialExecutor(session.loop()),
        BoshClientConfig.of("localhost", "admin", "mypassword1"), received::add, 1000);

    client.connect();
    Exchange creation = server.next();
    assertThat(creation.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(creation.contentType()).isEqualTo("text/xml; charset=utf-8");
    assertThat(creation.contentLength()).isEqualTo(creation.xml().getBytes().length);
    assertThat(creation.rid()).isEqualTo(1000);
    creation.answerBody(CREATED, SASL_FEATURES);
    server.next().answerBody("", SUCCESS);
    server.next().answerBody("", BIND_FEATURES);
    server.next().answerBody("", BIND_RESULT);
    Exchange presence = server.next();
    assertThat(presence.payload().is(Xml.NS_CLIENT, "presence")).isTrue();
    presence.answerEmpty();
    assertThat(client.online()).succeedsWithin(AWAIT).isEqualTo("admin@localhost/r1");
    Exchange held = server.next();
    assertThat(held.body().children()).isEmpty();

    assertThat(client.sendMessage("myself@localhost", "hi over h2")).succeedsWithin(AWAIT);
    Exchange message = server.next();
    assertThat(message.payload().childText(Xml.NS_CLIENT, "body")).isEqualTo("hi over h2");
    held.answerBody("", "<message xmlns='jabber:client' type='chat' from='myself@localhost/x'"
        + " to='admin@localhost/r1'><body>hi back</body></message>");
    message.answerEmpty();

    Exchange nextHeld = server.next();
    assertThat(received).extracting(ChatMessage::body).containsExactly("hi back");
    assertThat(List.of(creation, presence, held, message, nextHeld))
        .extracting(Exchange::connection).containsOnly(creation.connection());
    assertThat(server.connectionsAccepted()).isEqualTo(1);
    assertThat(connectionsOpened).hasValue(1);
  }

  @Test
  void sessionsShareTheirLanesConnection() throws Exception {
    ScriptedH2cServer server = start(ScriptedH2cServer.h2c(128));
    H2cBoshTransport transport = transport(server, 2);
    List<CompletableFuture<String>> responses = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      responses.add(transport.newSession(group.next()).post(poll(i), WAIT));
    }

    Map<String, List<Exchange>> byConnection = exchanges(server, 6).stream()
        .collect(Collectors.groupingBy(Exchange::connection));

    // Round robin at session creation: sessions 0, 2, 4 on one lane, 1, 3, 5 on the other.
    assertThat(byConnection).hasSize(2);
    assertThat(byConnection.values()).allSatisfy(onOne -> assertThat(onOne)
        .extracting(e -> e.rid() % 2).containsOnly(onOne.get(0).rid() % 2).hasSize(3));
    assertThat(server.connectionsAccepted()).isEqualTo(2);
    assertThat(connectionsOpened).hasValue(2);
    byConnection.values().forEach(onOne -> onOne.forEach(Exchange::answerEmpty));
    assertThat(responses).allSatisfy(r -> assertThat(r).succeedsWithin(AWAIT));
  }

  @Test
  void eachSessionNamesAClientAddressOfItsOwnAsAProxyWould() throws Exception {
    ScriptedH2cServer server = start(ScriptedH2cServer.h2c(128));
    List<String> sources = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");
    H2cBoshTransport transport = transport(server, 1, sources);
    List<CompletableFuture<String>> responses = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      responses.add(transport.newSession(group.next()).post(poll(i), WAIT));
    }

    List<Exchange> exchanges = exchanges(server, 6);

    assertThat(exchanges).allSatisfy(e -> assertThat(e.request().getHeaders()
        .get("X-Forwarded-For")).isEqualTo(sources.get((int) (e.rid() % sources.size()))));
    assertThat(server.connectionsAccepted()).isEqualTo(1);
    exchanges.forEach(Exchange::answerEmpty);
    assertThat(responses).allSatisfy(r -> assertThat(r).succeedsWithin(AWAIT));
  }

  @Test
  void heldRequestsAreConcurrentStreamsAnsweredInAnyOrder() throws Exception {
    ScriptedH2cServer server = start(ScriptedH2cServer.h2c(128));
    H2cBoshTransport transport = transport(server, 1);
    List<CompletableFuture<String>> responses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      responses.add(transport.newSession(group.next()).post(poll(i), WAIT));
    }

    // All four are at the server at once, none answered: four open streams on one connection.
    List<Exchange> held = exchanges(server, 4);
    assertThat(held).extracting(Exchange::connection).containsOnly(held.get(0).connection());
    assertThat(responses).allSatisfy(r -> assertThat(r).isNotDone());
    for (int i = held.size() - 1; i >= 0; i--) {
      held.get(i).answerBody("rid='" + held.get(i).rid() + "'", "");
    }

    for (int i = 0; i < responses.size(); i++) {
      assertThat(responses.get(i)).succeedsWithin(AWAIT, STRING).contains("rid='" + i + "'");
    }
    assertThat(roundTrips).hasValue(4);
  }

  /**
   * "SETTINGS_MAX_CONCURRENT_STREAMS: This setting indicates the maximum number of concurrent
   * streams that the sender will allow." (RFC 9113 §6.5.2) Held requests beyond it go to one
   * more connection of the lane instead of waiting behind the held ones.
   */
  @Test
  void streamsBeyondTheServersLimitOpenAnotherConnection() throws Exception {
    ScriptedH2cServer server = start(ScriptedH2cServer.h2c(2));
    H2cBoshTransport transport = transport(server, 1);
    List<CompletableFuture<String>> responses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      responses.add(transport.newSession(group.next()).post(poll(i), WAIT));
    }

    List<Exchange> held = exchanges(server, 5);

    Map<String, Long> perConnection = held.stream()
        .collect(Collectors.groupingBy(Exchange::connection, Collectors.counting()));
    assertThat(perConnection.values()).containsExactlyInAnyOrder(2L, 2L, 1L);
    assertThat(server.connectionsAccepted()).isEqualTo(3);
    assertThat(connectionsOpened).hasValue(3);
    held.forEach(Exchange::answerEmpty);
    assertThat(responses).allSatisfy(r -> assertThat(r).succeedsWithin(AWAIT));
  }

  /**
   * "Activity on streams numbered lower than or equal to the last stream identifier might still
   * complete successfully. The sender of a GOAWAY frame might gracefully shut down a connection
   * by sending a GOAWAY frame, maintaining the connection in an "open" state until all in-progress
   * streams complete." (RFC 9113 §6.8)
   */
  @Test
  void afterAGoAwayHeldRequestsAreStillAnsweredAndNewOnesGoToANewConnection() throws Exception {
    ScriptedH2cServer server = start(ScriptedH2cServer.h2c(128));
    H2cBoshTransport transport = transport(server, 1);
    EventLoopTransport.Session session = transport.newSession(group.next());
    CompletableFuture<String> heldResponse = session.post(poll(0), WAIT);
    Exchange held = server.next();

    held.goAway();
    // Until the client has seen the GOAWAY, a request may still go out on the old connection;
    // the server refuses it unprocessed and the client sends it again on the new one.
    CompletableFuture<String> after = session.post(poll(1), WAIT);
    Exchange next = server.next();

    assertThat(next.rid()).isEqualTo(1);
    assertThat(next.connection()).isNotEqualTo(held.connection());
    next.answerEmpty();
    held.answerEmpty();
    assertThat(after).succeedsWithin(AWAIT);
    assertThat(heldResponse).succeedsWithin(AWAIT);
    assertThat(server.connectionsAccepted()).isEqualTo(2);
  }

  @Test
  void aServerThatClosesTheConnectionFailsItsHeldRequests() throws Exception {
    ScriptedH2cServer server = start(ScriptedH2cServer.h2c(128));
    H2cBoshTransport transport = transport(server, 1);
    List<EventLoopTransport.Session> sessions = new ArrayList<>();
    List<CompletableFuture<String>> responses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sessions.add(transport.newSession(group.next()));
      responses.add(sessions.get(i).post(poll(i), WAIT));
    }
    List<Exchange> held = exchanges(server, 3);

    held.get(0).goAwayAndClose();

    assertThat(responses).allSatisfy(r -> assertThat(r).failsWithin(AWAIT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IOException.class));
    CompletableFuture<String> after = sessions.get(0).post(poll(3), WAIT);
    Exchange next = server.next();
    assertThat(next.connection()).isNotEqualTo(held.get(0).connection());
    next.answerEmpty();
    assertThat(after).succeedsWithin(AWAIT);
    assertThat(server.connectionsAccepted()).isEqualTo(2);
    assertThat(connectionsOpened).hasValue(2);
  }

  @Test
  void aNonSuccessStatusFailsWithItsCode() throws Exception {
    ScriptedH2cServer server = start(ScriptedH2cServer.h2c(128));
    CompletableFuture<String> response = transport(server, 1).newSession(group.next())
        .post(poll(0), WAIT);

    server.next().answerStatus(404);

    assertThat(response).failsWithin(AWAIT)
        .withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOfSatisfying(BoshException.class,
            e -> assertThat(e.condition()).isEqualTo("404"));
    assertThat(roundTrips).hasValue(1);
  }

  @Test
  void closingASessionFailsItsRequestInFlight() throws Exception {
    ScriptedH2cServer server = start(ScriptedH2cServer.h2c(128));
    EventLoopTransport.Session session = transport(server, 1).newSession(group.next());
    CompletableFuture<String> response = session.post(poll(0), WAIT);
    server.next();

    session.close();

    assertThat(response).failsWithin(AWAIT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IOException.class).withMessageContaining("transport closed");
  }

  @Test
  void anHttp11OnlyServerFailsTheRequestWithAHint() throws Exception {
    ScriptedH2cServer server = start(ScriptedH2cServer.http11());
    CompletableFuture<String> response = transport(server, 1).newSession(group.next())
        .post(poll(0), WAIT);

    assertThat(response).failsWithin(AWAIT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IOException.class).withMessageContaining("h2c endpoint");
  }

  private ScriptedH2cServer start(ScriptedH2cServer server) {
    toClose.add(server);
    return server;
  }

  private H2cBoshTransport transport(ScriptedH2cServer server, int connections) {
    return transport(server, connections, List.of());
  }

  private H2cBoshTransport transport(ScriptedH2cServer server, int connections,
      List<String> sources) {
    H2cBoshTransport transport = new H2cBoshTransport(server.endpoint(), sources,
        new Bootstrap().group(group).channel(NioSocketChannel.class),
        new EventLoopTransport.Observer() {
          @Override
          public void onRoundTrip(String requestBody, long nanos) {
            roundTrips.incrementAndGet();
          }

          @Override
          public void onConnectionOpened() {
            connectionsOpened.incrementAndGet();
          }
        }, connections);
    toClose.add(0, transport::close);
    return transport;
  }

  /** The next {@code n} requests, ordered by rid. */
  private static List<Exchange> exchanges(ScriptedH2cServer server, int n)
      throws InterruptedException {
    List<Exchange> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(server.next());
    }
    out.sort((a, b) -> Long.compare(a.rid(), b.rid()));
    Set<Long> rids = new HashSet<>();
    out.forEach(e -> rids.add(e.rid()));
    assertThat(rids).hasSize(n);
    return out;
  }

  /** An empty request of session {@code i}, its rid {@code i}. */
  private static String poll(int i) {
    return "<body xmlns='http://jabber.org/protocol/httpbind' rid='" + i + "' sid='s" + i
        + "'/>";
  }
}
