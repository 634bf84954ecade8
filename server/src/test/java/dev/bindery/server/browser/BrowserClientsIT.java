package dev.bindery.server.browser;

import static dev.bindery.server.browser.ChatDriver.DOMAIN;
import static dev.bindery.server.browser.ChatDriver.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.server.Bindery;
import dev.bindery.server.browser.ChatDriver.Client;
import dev.bindery.server.config.ServerConfig;
import dev.bindery.server.it.FreePorts;
import dev.bindery.server.it.ProsodyServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real web XMPP clients chat through Bindery: Strophe.js and Converse.js, as published on npm,
 * in headless Chromium driven by Playwright ({@code src/test/browser/chat.mjs}), with a real
 * Prosody behind Bindery. For each client two users log in, each sends the other a message, and
 * both messages must arrive and be shown by the client.
 *
 * <p>The pages come from another origin than Bindery's {@code /http-bind} (another port on
 * 127.0.0.1), and Bindery allows that origin only ({@code http.allowed-origins}), so every login
 * also goes through the CORS preflight and response headers a browser demands.
 *
 * <p>The screenshots are kept for a person to look at, in {@code target/browser/CLIENT/}. Skipped
 * when Chromium, Node.js, the npm packages or Prosody are missing ({@link ChatDriver#missing()}):
 * {@code .ci/setup} installs them all.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BrowserClientsIT {

  private static final Logger LOG = LoggerFactory.getLogger(BrowserClientsIT.class);

  private static String missing;
  private static ProsodyServer prosody;
  private static Bindery bindery;
  private static int pagePort;
  private static String pageOrigin;

  @BeforeAll
  static void start() throws Exception {
    missing = ChatDriver.missing();
    if (missing == null && !(ChatDriver.onPath("prosody") && ChatDriver.onPath("prosodyctl"))) {
      missing = "Prosody is not installed (.ci/setup installs it)";
    }
    if (missing != null) {
      return; // each test is skipped, saying why
    }
    prosody = ProsodyServer.start(DOMAIN);
    for (Client client : Client.values()) {
      for (String transport : List.of("bosh", "websocket")) {
        prosody.register(user1(client, transport), PASSWORD);
        prosody.register(user2(client, transport), PASSWORD);
      }
    }
    pagePort = FreePorts.pick();
    pageOrigin = "http://" + FreePorts.HOST + ":" + pagePort;
    bindery = Bindery.start(ServerConfig.builder().port(0)
        .upstream(prosody.host(), prosody.c2sPort())
        .domains(List.of(DOMAIN))
        .allowedOrigins(List.of(pageOrigin)).build());
  }

  @BeforeEach
  void skipWhenSomethingIsMissing() {
    Assumptions.assumeTrue(missing == null, missing);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (bindery != null) {
        bindery.close();
      }
    } finally {
      if (prosody != null) {
        prosody.close();
      }
    }
  }

  @Test
  void stropheUsersLogInFromAnotherOriginAndChatBothWays() throws Exception {
    chatAndCheck(Client.STROPHE);
  }

  @Test
  void converseUsersLogInFromAnotherOriginAndChatBothWays() throws Exception {
    chatAndCheck(Client.CONVERSE);
  }

  @Test
  void stropheUsersChatOverWebSocket() throws Exception {
    chatAndCheck(Client.STROPHE, "websocket");
  }

  @Test
  void converseUsersChatOverWebSocket() throws Exception {
    chatAndCheck(Client.CONVERSE, "websocket");
  }

  private static String user1(Client client, String transport) {
    return "alice-" + client.id + "-" + transport;
  }

  private static String user2(Client client, String transport) {
    return "bob-" + client.id + "-" + transport;
  }

  private void chatAndCheck(Client client) throws Exception {
    chatAndCheck(client, "bosh");
  }

  /** Over {@code transport}: BOSH at /http-bind or WebSocket at /xmpp-websocket. */
  private void chatAndCheck(Client client, String transport) throws Exception {
    boolean ws = transport.equals("websocket");
    String endpoint = ws ? "ws://127.0.0.1:" + bindery.port() + "/xmpp-websocket"
        : bindery.endpoint().toString();
    String name = ws ? client.id + "-websocket" : client.id;
    Map<?, ?> result = ChatDriver.chat(client, name, endpoint, user1(client, transport),
        user2(client, transport), "--page-port", Integer.toString(pagePort));

    assertThat(result.get("pageOrigin")).isEqualTo(pageOrigin);
    assertThat(result.get("sameOrigin")).isEqualTo(false);
    LOG.info("{} chatted through Bindery: versions {}, milliseconds {}, screenshots in {}",
        client.id, result.get("versions"), result.get("timingMs"),
        ChatDriver.SCREENSHOTS.resolve(name));
  }
}
