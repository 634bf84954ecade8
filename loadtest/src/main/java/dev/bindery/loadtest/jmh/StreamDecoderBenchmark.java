package dev.bindery.loadtest.jmh;

import dev.bindery.server.upstream.XmppStreamDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Confined to one JMH thread. The upstream side's hot path: framing stanzas out of the XMPP
 * server's TCP stream ({@link XmppStreamDecoder} on an {@link EmbeddedChannel}), one chat
 * message per read, and ten in one read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StreamDecoderBenchmark {

  static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
      + " xmlns:stream='http://etherx.jabber.org/streams' id='s1' from='localhost'"
      + " version='1.0' xml:lang='en'>";
  static final String MESSAGE = "<message xmlns='jabber:client' type='chat' id='m17'"
      + " to='user42@localhost' from='user7@localhost/abc'><body>bindery-loadtest"
      + " t=123456789012345 #17</body></message>";

  private EmbeddedChannel channel;
  private ByteBuf one;
  private ByteBuf ten;

  @Setup
  public void setUp() {
    channel = new EmbeddedChannel(
        new XmppStreamDecoder(XmppStreamDecoder.DEFAULT_MAX_STANZA_CHARS));
    channel.writeInbound(Unpooled.copiedBuffer(HEADER, StandardCharsets.UTF_8));
    drain();
    one = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(MESSAGE, StandardCharsets.UTF_8));
    ten = Unpooled.unreleasableBuffer(
        Unpooled.copiedBuffer(MESSAGE.repeat(10), StandardCharsets.UTF_8));
  }

  @Benchmark
  public int oneStanzaPerRead() {
    channel.writeInbound(one.duplicate());
    return drain();
  }

  @Benchmark
  public int tenStanzasPerRead() {
    channel.writeInbound(ten.duplicate());
    return drain();
  }

  private int drain() {
    int n = 0;
    for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
      n++;
    }
    return n;
  }
}
