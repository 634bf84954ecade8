package dev.bindery.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.testing.XmlTree;
import dev.bindery.protocol.xmpp.StreamHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link StreamNegotiationHandler} behind a real {@link XmppStreamDecoder}, the server's bytes fed
 * at every fragment size: STARTTLS is asked for when the server offers it and the domain's mode
 * is not {@code none}; the header and features reach the session only once the stream is ready;
 * every refusal is a failure with nothing passed on.
 */
class StreamNegotiationHandlerTest {

  private static final String DOMAIN = "example.com";
  private static final StreamHeader HEADER = new StreamHeader(DOMAIN, null, "1.0", "en");
  private static final String SERVER_HEADER = "<?xml version='1.0'?><stream:stream"
      + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s1'"
      + " from='" + DOMAIN + "' version='1.0'>";
  private static final String MECHANISMS = "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
      + "<mechanism>PLAIN</mechanism></mechanisms>";
  private static final String STARTTLS_REQUIRED = "<stream:features>"
      + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
      + MECHANISMS + "</stream:features>";
  private static final String STARTTLS_OPTIONAL = "<stream:features>"
      + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>" + MECHANISMS + "</stream:features>";
  private static final String NO_STARTTLS = "<stream:features>" + MECHANISMS
      + "</stream:features>";
  private static final String TLS_FAILURE = "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
  private static final String PROCEED = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
  private static final QName STARTTLS = new QName(Namespaces.TLS, "starttls");
  private static final long FEATURES_TIMEOUT_MILLIS = 5_000;
  /** Thread-safe, and slow to build: shared by every negotiation. */
  private static final TlsContexts TLS = new TlsContexts();

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"REQUIRED", "OPTIONAL"})
  void requiredStartTlsIsAskedFor(TlsMode mode) {
    forEverySize(SERVER_HEADER + STARTTLS_REQUIRED, mode, n -> {
      assertThat(n.sentAfterHeader()).singleElement()
          .satisfies(xml -> assertThat(XmlTree.parse(xml).name()).isEqualTo(STARTTLS));
      n.assertNothingDecided();
    });
  }

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"REQUIRED", "OPTIONAL"})
  void optionalStartTlsIsAskedFor(TlsMode mode) {
    forEverySize(SERVER_HEADER + STARTTLS_OPTIONAL, mode, n -> {
      assertThat(n.sentAfterHeader()).singleElement()
          .satisfies(xml -> assertThat(XmlTree.parse(xml).name()).isEqualTo(STARTTLS));
      n.assertNothingDecided();
    });
  }

  @Test
  void optionalStartTlsWithTlsNonePassesTheFeaturesOnWithoutIt() {
    forEverySize(SERVER_HEADER + STARTTLS_OPTIONAL, TlsMode.NONE, n -> {
      assertThat(n.sentAfterHeader()).isEmpty();
      n.assertReadyWithFeatures();
    });
  }

  @Test
  void requiredStartTlsWithTlsNoneFails() {
    forEverySize(SERVER_HEADER + STARTTLS_REQUIRED, TlsMode.NONE, n -> {
      assertThat(n.sentAfterHeader()).isEmpty();
      n.assertFailed("server requires STARTTLS");
    });
  }

  @Test
  void featuresWithoutStartTlsWhileTlsIsRequiredFail() {
    forEverySize(SERVER_HEADER + NO_STARTTLS, TlsMode.REQUIRED, n -> {
      assertThat(n.sentAfterHeader()).isEmpty();
      n.assertFailed("does not offer STARTTLS");
    });
  }

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"OPTIONAL", "NONE"})
  void featuresWithoutStartTlsArePassedOnWhenTlsIsNotRequired(TlsMode mode) {
    forEverySize(SERVER_HEADER + NO_STARTTLS, mode, n -> {
      assertThat(n.sentAfterHeader()).isEmpty();
      n.assertReadyWithFeatures();
    });
  }

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"REQUIRED", "OPTIONAL"})
  void tlsFailureAfterStartTlsFails(TlsMode mode) {
    forEverySize(SERVER_HEADER + STARTTLS_OPTIONAL + TLS_FAILURE, mode, n -> {
      assertThat(n.sentAfterHeader()).hasSize(1);
      n.assertFailed("server refused STARTTLS: <failure/>");
    });
  }

  @Test
  void proceedStartsTheTlsHandshakeFirstInThePipeline() {
    forEverySize(SERVER_HEADER + STARTTLS_REQUIRED + PROCEED, TlsMode.REQUIRED, n -> {
      assertThat(n.sslHandlers).hasSize(1);
      assertThat(n.channel.pipeline().first()).isSameAs(n.sslHandlers.get(0));
      assertThat(n.channel.pipeline().get("tls")).isSameAs(n.sslHandlers.get(0));
      List<ByteBuf> out = n.outbound();
      // after the header: <starttls/>, then a TLS handshake record (type 22), the ClientHello
      assertThat(out).hasSize(2);
      assertThat(out.get(1).getUnsignedByte(0)).isEqualTo((short) 22);
      out.forEach(ByteBuf::release);
      n.assertNothingDecided();
    });
  }

  @Test
  void noFeaturesWithinTheTimeoutFails() {
    Negotiation n = new Negotiation(TlsMode.NONE);
    n.feed(SERVER_HEADER.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE);
    n.channel.advanceTimeBy(FEATURES_TIMEOUT_MILLIS - 1, TimeUnit.MILLISECONDS);
    n.channel.runScheduledPendingTasks();
    n.assertNothingDecided();

    n.channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    n.channel.runScheduledPendingTasks();

    n.assertFailed("no stream features within " + FEATURES_TIMEOUT_MILLIS + " ms");
  }

  @Test
  void serverClosingTheStreamDuringNegotiationFails() {
    forEverySize(SERVER_HEADER + "</stream:stream>", TlsMode.REQUIRED,
        n -> n.assertFailed("server closed the stream"));
  }

  /** Runs {@code check} on a fresh negotiation fed {@code server} at each fragment size. */
  private static void forEverySize(String server, TlsMode mode, Check check) {
    byte[] bytes = server.getBytes(StandardCharsets.UTF_8);
    for (int size = 1; size <= bytes.length; size++) {
      Negotiation n = new Negotiation(mode);
      n.feed(bytes, size);
      try {
        check.accept(n);
      } catch (AssertionError e) {
        throw new AssertionError("fragment size " + size + ": " + e.getMessage(), e);
      } finally {
        n.channel.finishAndReleaseAll();
      }
    }
  }

  @FunctionalInterface
  private interface Check {
    void accept(Negotiation n);
  }

  /** Confined to the test thread. One negotiation on an {@link EmbeddedChannel}. */
  private static final class Negotiation implements StreamNegotiationHandler.Outcome {
    final EmbeddedChannel channel = new EmbeddedChannel(false, false); // registered below, before any handler
    final List<SslHandler> sslHandlers = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    int ready;

    Negotiation(TlsMode mode) {
      try {
        channel.register();
      } catch (Exception e) {
        throw new AssertionError("cannot register", e);
      }
      // the features timeout runs on the channel's clock alone, moved by the test: a busy
      // machine's real time passing between two steps must not fire it early
      channel.freezeTime();
      XmppStreamDecoder decoder = new XmppStreamDecoder(XmppStreamDecoder.DEFAULT_MAX_STANZA_CHARS);
      channel.pipeline().addLast("decoder", decoder);
      channel.pipeline().addLast("negotiate", new StreamNegotiationHandler("sid1", HEADER, mode,
          false, ctx -> {
            SslHandler ssl = TLS.newHandler(ctx.alloc(), null, DOMAIN, 5222, 10_000);
            sslHandlers.add(ssl);
            return ssl;
          }, decoder, FEATURES_TIMEOUT_MILLIS, this));
      // the connection is up: the handler sends its header now
      channel.pipeline().fireChannelActive();
      List<ByteBuf> header = outbound();
      assertThat(header).as("the stream header, sent on activation").hasSize(1);
      assertThat(XmlTree.parse(text(header.get(0)) + "</stream:stream>").name())
          .isEqualTo(new QName("http://etherx.jabber.org/streams", "stream"));
    }

    @Override
    public boolean ready(ChannelHandlerContext ctx) {
      ready++;
      return true;
    }

    @Override
    public void failed(String reason) {
      failures.add(reason);
    }

    void feed(byte[] bytes, int size) {
      for (int i = 0; i < bytes.length && channel.isOpen(); i += size) {
        int n = Math.min(size, bytes.length - i);
        channel.writeInbound(Unpooled.copiedBuffer(bytes, i, n));
      }
    }

    /** What was written since the header, each write as text. */
    List<String> sentAfterHeader() {
      return outbound().stream().map(Negotiation::text).toList();
    }

    List<ByteBuf> outbound() {
      List<ByteBuf> out = new ArrayList<>();
      for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
        out.add(b);
      }
      return out;
    }

    void assertNothingDecided() {
      assertThat(ready).as("ready").isZero();
      assertThat(failures).as("failures").isEmpty();
      assertThat(channel.isOpen()).as("open").isTrue();
      assertThat((Object) channel.readInbound()).as("passed to the session").isNull();
    }

    void assertReadyWithFeatures() {
      assertThat(failures).isEmpty();
      assertThat(ready).isEqualTo(1);
      assertThat((Object) channel.readInbound())
          .isEqualTo(new UpstreamEvent.StreamOpened("s1", DOMAIN, "1.0"));
      UpstreamEvent.Element features = channel.readInbound();
      assertThat(features.stanza().isStreamFeatures()).isTrue();
      XmlTree tree = XmlTree.parse(features.stanza().xml());
      assertThat(tree.elements()).extracting(XmlTree::name)
          .containsExactly(new QName("urn:ietf:params:xml:ns:xmpp-sasl", "mechanisms"));
      assertThat((Object) channel.readInbound()).isNull();
      assertThat(channel.pipeline().get(StreamNegotiationHandler.class)).isNull();
    }

    void assertFailed(String reason) {
      assertThat(failures).singleElement().asString().contains(reason);
      assertThat(ready).as("ready").isZero();
      assertThat(channel.isOpen()).as("open").isFalse();
      assertThat((Object) channel.readInbound()).as("passed to the session").isNull();
    }

    private static String text(ByteBuf b) {
      try {
        return b.toString(StandardCharsets.UTF_8);
      } finally {
        b.release();
      }
    }
  }
}
