package dev.bindery.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bindery.protocol.xmpp.StreamHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link StreamNegotiationHandler} behind a real {@link
 * XmppStreamDecoder}, with any bytes as what the server answers (features, STARTTLS, a stream
 * error), cut at any points, under each TLS mode. Properties: at most one decision, ready or
 * failed, never both; a failure closes the channel and passes nothing on; ready passes on the
 * server's features or its stream error and leaves the pipeline; under {@code tls: required} the
 * features never reach the session unsecured; under {@code tls: none} STARTTLS is never asked
 * for; no exception leaves the channel before the stream is ready.
 */
class StreamNegotiationFuzzTest {

  private static final StreamHeader HEADER = new StreamHeader("example.com", null, "1.0", "en");
  /** The modes of STARTTLS; {@code direct} starts with TLS, before any byte is read. */
  private static final List<TlsMode> MODES =
      List.of(TlsMode.REQUIRED, TlsMode.OPTIONAL, TlsMode.NONE);
  /** Thread-safe, and slow to build: shared by every negotiation. */
  private static final TlsContexts TLS = new TlsContexts();

  @FuzzTest
  void decidesOnceAndNeverRelaysUnsecured(FuzzedDataProvider data) {
    TlsMode mode = data.pickValue(MODES);
    int[] cuts = data.consumeInts(data.consumeInt(0, 4));
    byte[] server = data.consumeRemainingAsBytes();
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = Math.floorMod(cuts[i], server.length + 1);
    }
    Arrays.sort(cuts);

    Negotiation n = new Negotiation(mode);
    try {
      int from = 0;
      for (int i = 0; i <= cuts.length && n.channel.isOpen(); i++) {
        int to = i < cuts.length ? cuts[i] : server.length;
        try {
          n.channel.writeInbound(Unpooled.wrappedBuffer(server, from, to - from));
        } catch (DecoderException e) {
          // passed on only once the stream is ready, to the session's handler
          assertThat(n.ready).as("an exception after the stream was ready").isEqualTo(1);
          break;
        }
        from = to;
      }
      List<String> sent = n.sentAfterHeader();
      assertThat(n.ready + n.failures.size()).as("decisions").isLessThanOrEqualTo(1);
      if (mode == TlsMode.NONE) {
        assertThat(sent).as("STARTTLS asked for under tls: none").isEmpty();
      }
      if (!n.failures.isEmpty()) {
        assertThat(n.channel.isOpen()).isFalse();
        assertThat(n.relayed).as("passed on after a failure").isEmpty();
      } else if (n.ready == 1) {
        assertThat(n.channel.pipeline().get(StreamNegotiationHandler.class)).isNull();
        UpstreamEvent.Element first = (UpstreamEvent.Element) n.relayed.stream()
            .filter(UpstreamEvent.Element.class::isInstance).findFirst().orElseThrow();
        if (mode == TlsMode.REQUIRED) {
          // no TLS handshake can succeed here: only the server's refusal may reach the session
          assertThat(first.stanza().isStreamError()).as(first.stanza().xml()).isTrue();
        } else {
          assertThat(first.stanza().isStreamFeatures() || first.stanza().isStreamError())
              .as(first.stanza().xml()).isTrue();
        }
      } else {
        assertThat(n.relayed).as("passed on before a decision").isEmpty();
      }
      assertThat((Object) n.channel.readInbound()).as("passed beyond the session").isNull();
    } finally {
      n.channel.finishAndReleaseAll();
    }
  }

  /** Confined to the test thread. One negotiation on an {@link EmbeddedChannel}. */
  private static final class Negotiation implements StreamNegotiationHandler.Outcome {
    final EmbeddedChannel channel = new EmbeddedChannel(false, false);
    final List<String> failures = new ArrayList<>();
    final List<Object> relayed = new ArrayList<>();
    int ready;

    Negotiation(TlsMode mode) {
      try {
        channel.register();
      } catch (Exception e) {
        throw new AssertionError("cannot register", e);
      }
      channel.freezeTime(); // the features timeout never fires: only the bytes decide
      XmppStreamDecoder decoder = new XmppStreamDecoder(4096);
      channel.pipeline().addLast("decoder", decoder);
      channel.pipeline().addLast("negotiate", new StreamNegotiationHandler("sid1", HEADER, mode,
          false, ctx -> TLS.newHandler(ctx.alloc(), null, "example.com", 5222, 10_000),
          decoder, 5_000, this));
      channel.pipeline().fireChannelActive();
      outbound(); // the stream header
    }

    @Override
    public boolean ready(ChannelHandlerContext ctx) {
      ready++;
      // what the handler passes on from now goes to the session, here a list
      ctx.pipeline().addLast("session", new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
          relayed.add(msg);
        }
      });
      return true;
    }

    @Override
    public void failed(String reason) {
      failures.add(reason);
    }

    /** The XML written since the header; TLS records (after {@code <proceed/>}) left out. */
    List<String> sentAfterHeader() {
      List<String> sent = new ArrayList<>();
      for (String s : outbound()) {
        if (s.startsWith("<")) {
          sent.add(s);
        }
      }
      return sent;
    }

    List<String> outbound() {
      List<String> out = new ArrayList<>();
      for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
        ByteBuf b = (ByteBuf) o;
        out.add(b.toString(StandardCharsets.ISO_8859_1));
        b.release();
      }
      return out;
    }
  }
}
