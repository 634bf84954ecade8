package dev.bindery.server.upstream;

import static dev.bindery.server.BoshHttpClient.NS;
import static dev.bindery.server.BoshHttpClient.XBOSH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.bindery.protocol.body.BindingCondition;
import dev.bindery.protocol.body.Body;
import dev.bindery.server.Bindery;
import dev.bindery.server.BoshHttpClient;
import dev.bindery.server.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Over real HTTP: each of {@link UpstreamLimits}' three timeouts ends a session that is being
 * created with {@code remote-connection-failed}, and the reason logged says which one fired. The
 * timeout under test is short, the others long, so only the one under test can end the session
 * while the creation request is held; durations are not asserted.
 */
class UpstreamTimeoutsTest {

  private static final int SHORT_MILLIS = 300;
  private static final int LONG_MILLIS = 60_000;
  private static final UpstreamLimits ALL_LONG = UpstreamLimits.DEFAULTS
      .withConnectTimeoutMillis(LONG_MILLIS)
      .withTlsHandshakeTimeoutMillis(LONG_MILLIS)
      .withFeaturesTimeoutMillis(LONG_MILLIS);

  private static final String STARTTLS_FEATURES = "<?xml version='1.0'?><stream:stream"
      + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s1'"
      + " from='%s' version='1.0'><stream:features>"
      + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
      + "</stream:features>";
  private static final String PROCEED = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";

  private final Warnings warnings = new Warnings();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void listen() {
    warnings.start();
  }

  @AfterEach
  void close() throws Exception {
    warnings.stop();
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void serverThatNeverSendsFeaturesIsRemoteConnectionFailed() throws Exception {
    StallingServer server = register(new StallingServer());
    String domain = "features.example";

    Body body = create(DomainRoute.plainLoopback(domain, server.endpoint()),
        ALL_LONG.withFeaturesTimeoutMillis(SHORT_MILLIS));

    assertRemoteConnectionFailed(body);
    assertThat(server.received()).as("the stream header went out")
        .contains("<stream:stream");
    assertThat(warnings.about(domain)).contains("no stream features within " + SHORT_MILLIS);
  }

  @Test
  void directTlsHandshakeThatNeverCompletesIsRemoteConnectionFailed() throws Exception {
    StallingServer server = register(new StallingServer());
    String domain = "direct-tls.example";

    Body body = create(DomainRoute.fixed(domain, server.endpoint()).withTls(TlsMode.DIRECT)
        .withAllowPrivateAddresses(true), ALL_LONG.withTlsHandshakeTimeoutMillis(SHORT_MILLIS));

    assertRemoteConnectionFailed(body);
    assertThat(server.received()).as("a ClientHello, not a stream header")
        .isNotEmpty().doesNotContain("<stream:stream");
    assertThat(warnings.about(domain)).contains("TLS handshake failed")
        .contains("handshake timed out");
  }

  @Test
  void startTlsHandshakeThatNeverCompletesIsRemoteConnectionFailed() throws Exception {
    String domain = "starttls.example";
    StallingServer server = register(new StallingServer(
        "<stream:stream", STARTTLS_FEATURES.formatted(domain),
        "<starttls", PROCEED));

    Body body = create(DomainRoute.fixed(domain, server.endpoint())
        .withAllowPrivateAddresses(true), ALL_LONG.withTlsHandshakeTimeoutMillis(SHORT_MILLIS));

    assertRemoteConnectionFailed(body);
    assertThat(server.received()).contains("<starttls");
    assertThat(warnings.about(domain)).contains("TLS handshake failed")
        .contains("handshake timed out");
  }

  /**
   * Linux drops a SYN to a listening socket whose accept queue is full, so a connection to a
   * socket with backlog 1 and two unaccepted connections neither completes nor is refused: only
   * the connect timeout ends it. Where the queue overflows otherwise (some systems answer with a
   * reset), the test is skipped.
   */
  @Test
  void serverThatDropsSynsIsRemoteConnectionFailed() throws Exception {
    ServerSocket full = register(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
    InetSocketAddress address = (InetSocketAddress) full.getLocalSocketAddress();
    boolean dropping = false;
    for (int i = 0; i < 16 && !dropping; i++) {
      Socket queued = new Socket();
      try {
        queued.connect(address, 1_000);
        register(queued);
      } catch (SocketTimeoutException e) {
        queued.close();
        dropping = true;
      } catch (IOException e) {
        queued.close();
        break; // refused or reset: this system does not drop SYNs on overflow
      }
    }
    assumeTrue(dropping, "the accept queue never overflowed into dropped SYNs");
    String domain = "connect.example";

    Body body = create(DomainRoute.plainLoopback(domain,
            new Endpoint(address.getAddress().getHostAddress(), address.getPort())),
        ALL_LONG.withConnectTimeoutMillis(SHORT_MILLIS));

    assertRemoteConnectionFailed(body);
    assertThat(warnings.about(domain)).contains("connect: ").contains("timed out");
  }

  private static void assertRemoteConnectionFailed(Body body) {
    assertThat(body.isTerminate()).as("terminated").isTrue();
    assertThat(body.condition()).contains(BindingCondition.REMOTE_CONNECTION_FAILED);
    assertThat(body.payloads()).isEmpty();
  }

  private Body create(DomainRoute route, UpstreamLimits limits) throws Exception {
    UpstreamPolicy policy = new UpstreamPolicy(List.of(route), limits, List.of());
    try (Bindery bindery = Bindery.start(
        ServerConfig.builder().port(0).upstream(policy).build())) {
      return new BoshHttpClient(bindery.endpoint()).post("<body rid='100' to='" + route.domain()
          + "' wait='60' hold='1' ver='1.11' xmpp:version='1.0' " + NS + " " + XBOSH + "/>")
          .body();
    }
  }

  private <T extends AutoCloseable> T register(T closeable) {
    closing.add(closeable);
    return closeable;
  }

  /**
   * Thread-safe. The WARN lines of {@link UpstreamConnector}: one per stream that could not be
   * opened, with every attempt's reason. It is logged before the session hears of the failure,
   * so before the creation request is answered.
   */
  private static final class Warnings {
    private final Logger logger = (Logger) LoggerFactory.getLogger(UpstreamConnector.class);
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
          lines.add(event.getFormattedMessage());
        }
      }
    };

    void start() {
      appender.setContext(logger.getLoggerContext());
      appender.start();
      logger.addAppender(appender);
    }

    void stop() {
      logger.detachAppender(appender);
      appender.stop();
    }

    /** The warnings that name {@code domain}, one a line. */
    String about(String domain) {
      return String.join("\n", lines.stream().filter(l -> l.contains(domain)).toList());
    }
  }

  /**
   * Thread-safe. A server that accepts TCP and answers only what its script says: each
   * {@code (awaited text, reply)} pair in turn, then nothing ever again, whatever comes (a TLS
   * ClientHello included). Records what it receives, bytes as ISO-8859-1.
   */
  private static final class StallingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final String[] script;
    private final StringBuffer received = new StringBuffer();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    StallingServer(String... script) throws IOException {
      this.script = script.clone();
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread t = new Thread(this::serve, "stalling-xmpp");
      t.setDaemon(true);
      t.start();
    }

    Endpoint endpoint() {
      return new Endpoint(socket.getInetAddress().getHostAddress(), socket.getLocalPort());
    }

    String received() {
      return received.toString();
    }

    private void serve() {
      try (Socket s = socket.accept()) { // one connection: a fixed address is tried once
        accepted.add(s);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        int step = 0;
        byte[] buf = new byte[8192];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          received.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
          while (step < script.length && received.indexOf(script[step]) >= 0) {
            out.write(script[step + 1].getBytes(StandardCharsets.UTF_8));
            out.flush();
            step += 2;
          }
        }
      } catch (IOException e) {
        // closed by the test or by Bindery: what was received is what the test checks
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
