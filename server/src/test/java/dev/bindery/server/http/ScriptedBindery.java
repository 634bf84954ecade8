package dev.bindery.server.http;

import static dev.bindery.server.BoshHttpClient.NS;
import static dev.bindery.server.BoshHttpClient.XBOSH;

import dev.bindery.protocol.body.Body;
import dev.bindery.protocol.session.SessionLimits;
import dev.bindery.server.Bindery;
import dev.bindery.server.BoshHttpClient;
import dev.bindery.server.BoshHttpClient.Reply;
import dev.bindery.server.ScriptedXmppServer;
import dev.bindery.server.config.ServerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Thread-safe. A Bindery on a free port relaying to a {@link ScriptedXmppServer}, and a raw
 * client for it: the fixture of the HTTP-level spec tests.
 */
final class ScriptedBindery implements AutoCloseable {

  /** How long a test waits for something that should happen within seconds, at most. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  /**
   * Limits for tests of timing: {@code inactivity} 2 s, {@code polling} 2 s, polling sessions
   * 5 s, {@code maxpause} 6 s, everything else the default.
   */
  static final SessionLimits FAST = new SessionLimits(SessionLimits.DEFAULT_MAX_WAIT,
      SessionLimits.DEFAULT_MAX_HOLD, 2, SessionLimits.DEFAULT_POLLING,
      SessionLimits.DEFAULT_MAX_REPEATED_RIDS, 5, 6, SessionLimits.DEFAULT_REPORT_AFTER_MILLIS,
      SessionLimits.DEFAULT_MAX_UNACKNOWLEDGED, "gzip,deflate");

  final ScriptedXmppServer xmpp;
  final Bindery bindery;
  final BoshHttpClient client;

  private ScriptedBindery(ScriptedXmppServer xmpp, Bindery bindery) {
    this.xmpp = xmpp;
    this.bindery = bindery;
    this.client = new BoshHttpClient(bindery.endpoint());
  }

  /** Starts with the default limits. */
  static ScriptedBindery start() throws Exception {
    return start(ServerConfig.builder());
  }

  static ScriptedBindery start(SessionLimits limits) throws Exception {
    return start(ServerConfig.builder().sessionLimits(limits));
  }

  /** Starts with {@code config}, on a free port and relaying to a scripted server. */
  static ScriptedBindery start(ServerConfig.Builder config) throws Exception {
    ScriptedXmppServer xmpp = new ScriptedXmppServer();
    try {
      return new ScriptedBindery(xmpp, Bindery.start(config.port(0)
          .upstream("127.0.0.1", xmpp.port()).build()));
    } catch (Exception e) {
      xmpp.close();
      throw e;
    }
  }

  /**
   * Creates a session with {@code hold='1'}, {@code ver='1.11'} and {@code xmpp:version='1.0'},
   * plus {@code attributes} (e.g. {@code "wait='2'"}; {@code wait='60'} unless given).
   */
  Session open(long rid, String attributes) throws Exception {
    String wait = attributes.contains("wait=") ? "" : " wait='60'";
    int connection = xmpp.accepted(); // tests open sessions one at a time
    Reply creation = client.post("<body rid='" + rid + "' to='localhost' hold='1' ver='1.11'"
        + wait + " xmpp:version='1.0' " + attributes + " " + NS + " " + XBOSH + "/>");
    String sid = creation.body().sid()
        .orElseThrow(() -> new AssertionError("no session: " + creation.text()));
    return new Session(sid, creation, xmpp.connection(connection));
  }

  /** Opens a session like {@link #open(long, String)}, with no more attributes. */
  Session open(long rid) throws Exception {
    return open(rid, "");
  }

  /** A request of session {@code sid}: {@code <body rid sid attributes>payloads</body>}. */
  static String request(String sid, long rid, String attributes, String payloads) {
    String start = "<body rid='" + rid + "' sid='" + sid + "' " + attributes + " " + NS + " "
        + XBOSH;
    return payloads.isEmpty() ? start + "/>" : start + ">" + payloads + "</body>";
  }

  /** An empty request of session {@code sid}. */
  static String poll(String sid, long rid) {
    return request(sid, rid, "", "");
  }

  /** Waits until Bindery has forgotten session {@code sid}. */
  void awaitGone(String sid) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (bindery.sessions().find(sid) != null) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("session " + sid + " still alive after " + PATIENCE);
      }
      TimeUnit.MILLISECONDS.sleep(20); // polling the registry's state, not ordering the code
    }
  }

  /** True while Bindery knows session {@code sid}. */
  boolean alive(String sid) {
    return bindery.sessions().find(sid) != null;
  }

  /**
   * Immutable. A session a test opened.
   *
   * @param sid      its id
   * @param creation the answer to the creation request
   * @param upstream its first stream's connection to the scripted server
   */
  record Session(String sid, Reply creation, ScriptedXmppServer.Connection upstream) {

    /** The creation response. */
    Body created() {
      return creation.body();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      bindery.close();
    } finally {
      xmpp.close();
    }
  }
}
