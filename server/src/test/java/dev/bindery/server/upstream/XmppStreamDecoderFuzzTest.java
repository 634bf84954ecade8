package dev.bindery.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bindery.protocol.testing.XmlTree;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link XmppStreamDecoder} with any bytes as the server's stream,
 * cut at any points. Properties: fed whole, fed in pieces, or fed as one buffer made of the
 * pieces, the decoder passes on the same events and fails at the same place; it fails only with
 * a {@link DecoderException}; every element it passes on is well-formed by itself and within the
 * size limit.
 */
class XmppStreamDecoderFuzzTest {

  private static final int MAX_STANZA_CHARS = 512;

  /** The events passed on, and the failure that ended the stream, if any. */
  record Outcome(List<Object> events, String failure) {}

  @FuzzTest
  void decodesTheSameAtAnySplit(FuzzedDataProvider data) {
    int[] cuts = data.consumeInts(data.consumeInt(0, 8));
    byte[] stream = data.consumeRemainingAsBytes();
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = Math.floorMod(cuts[i], stream.length + 1);
    }
    Arrays.sort(cuts);
    List<byte[]> pieces = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      pieces.add(Arrays.copyOfRange(stream, from, cut));
      from = cut;
    }
    pieces.add(Arrays.copyOfRange(stream, from, stream.length));

    Outcome whole = decode(List.of(Unpooled.wrappedBuffer(stream)));
    List<ByteBuf> split = new ArrayList<>();
    CompositeByteBuf composite = Unpooled.compositeBuffer();
    for (byte[] piece : pieces) {
      split.add(Unpooled.wrappedBuffer(piece));
      composite.addComponent(true, Unpooled.wrappedBuffer(piece));
    }
    assertThat(decode(split)).isEqualTo(whole);
    assertThat(decode(List.of(composite))).isEqualTo(whole);

    for (Object event : whole.events()) {
      if (event instanceof UpstreamEvent.Element element) {
        assertThat(element.stanza().xml().length()).isLessThanOrEqualTo(MAX_STANZA_CHARS);
        XmlTree.parseUtf8(element.stanza().xml());
      }
    }
  }

  private static Outcome decode(List<ByteBuf> buffers) {
    EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(MAX_STANZA_CHARS));
    String failure = null;
    for (ByteBuf buf : buffers) {
      try {
        channel.writeInbound(buf);
      } catch (DecoderException e) {
        failure = "DecoderException";
        break;
      }
    }
    List<Object> events = new ArrayList<>();
    for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
      events.add(o);
    }
    channel.finishAndReleaseAll();
    return new Outcome(events, failure);
  }
}
