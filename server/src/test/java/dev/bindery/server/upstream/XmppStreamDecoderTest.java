package dev.bindery.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindery.protocol.xmpp.Namespaces;
import dev.bindery.protocol.xmpp.Stanza;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class XmppStreamDecoderTest {

  private static final String HEADER = "<?xml version='1.0'?><stream:stream"
      + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
      + " id='s1' from='localhost' version='1.0' xml:lang='en'>";
  private static final String FEATURES = "<stream:features>"
      + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
      + "<compression xmlns='http://jabber.org/features/compress'><method>zlib</method>"
      + "</compression>"
      + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism>"
      + "</mechanisms></stream:features>";
  private static final String MESSAGE = "<message from='a@localhost/r' to='b@localhost'"
      + " type='chat'><body>caf\u00e9 \ud83d\ude00 &lt;&amp;&gt;</body></message>";

  @Test
  void decodesHeaderFeaturesAndStanzasAtEveryFragmentSize() {
    byte[] input = (HEADER + FEATURES + "\n " + MESSAGE + "</stream:stream>")
        .getBytes(StandardCharsets.UTF_8);
    for (int size = 1; size <= input.length; size++) {
      List<Object> events = decode(input, size);
      assertThat(events).as("fragment size %d", size).hasSize(5);
      assertThat(events.get(0))
          .isEqualTo(new UpstreamEvent.StreamOpened("s1", "localhost", "1.0"));
      assertThat(events.get(1)).isEqualTo(new UpstreamEvent.StartTlsOffered(true));
      Stanza features = ((UpstreamEvent.Element) events.get(2)).stanza();
      assertThat(features.isStreamFeatures()).isTrue();
      assertThat(features.xml()).doesNotContain("starttls").doesNotContain("compress")
          .contains("<mechanism>PLAIN");
      Stanza message = ((UpstreamEvent.Element) events.get(3)).stanza();
      assertThat(message.namespace()).isEqualTo(Namespaces.JABBER_CLIENT);
      assertThat(message.xml()).startsWith("<message xmlns=\"jabber:client\"")
          .contains("caf\u00e9 \ud83d\ude00 &lt;&amp;&gt;");
      assertThat(events.get(4)).isInstanceOf(UpstreamEvent.StreamClosed.class);
    }
  }

  @Test
  void restartAcceptsANewStreamHeader() {
    XmppStreamDecoder decoder = new XmppStreamDecoder(1000);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    channel.writeInbound(buf(HEADER + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"));
    decoder.reset();
    channel.writeInbound(buf(HEADER.replace("s1", "s2") + FEATURES));
    List<Object> events = drain(channel);
    assertThat(events).hasSize(5);
    assertThat(((UpstreamEvent.StreamOpened) events.get(2)).id()).isEqualTo("s2");
  }

  @Test
  void optionalStartTlsIsReportedAsNotRequired() {
    EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(1000));
    channel.writeInbound(buf(HEADER + FEATURES.replace("<required/>", "")));
    assertThat(drain(channel)).contains(new UpstreamEvent.StartTlsOffered(false));
  }

  @Test
  void stanzaOverTheLimitFailsTheStream() {
    EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(100));
    String big = "<message><body>" + "x".repeat(200) + "</body></message>";
    assertThatThrownBy(() -> channel.writeInbound(buf(HEADER + big)))
        .isInstanceOf(DecoderException.class).hasMessageContaining("larger than 100");
  }

  /** The end tag counts: {@code <iq xmlns="jabber:client">} is 26 chars, the whole 31 (fuzzing). */
  @Test
  void endTagCrossingTheLimitFailsTheStream() {
    EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(28));
    assertThatThrownBy(() -> channel.writeInbound(buf(HEADER + "<iq></iq>")))
        .isInstanceOf(DecoderException.class).hasMessageContaining("larger than 28");
    assertThat(drain(channel)).noneMatch(UpstreamEvent.Element.class::isInstance);
  }

  /** Aalto finds a NUL in text only when the text is read, and says so unchecked (fuzzing). */
  @Test
  void illegalCharacterInTextFailsTheStreamAsMalformed() {
    EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(1000));
    assertThatThrownBy(() -> channel.writeInbound(buf(HEADER + "<message>a\u0000b</message>")))
        .isInstanceOf(DecoderException.class).hasMessageContaining("malformed XML");
  }

  /** An overlong UTF-8 form (C0 87 for U+0007) gets past Aalto's decoder, not past this one. */
  @Test
  void overlongControlCharacterFailsTheStream() {
    byte[] header = HEADER.getBytes(StandardCharsets.UTF_8);
    byte[] message = {'<', 'm', '>', (byte) 0xC0, (byte) 0x87, '<', '/', 'm', '>'};
    EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(1000));
    channel.writeInbound(Unpooled.wrappedBuffer(header));
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(message)))
        .isInstanceOf(DecoderException.class).hasMessageContaining("U+0007");
  }

  @Test
  void malformedXmlFailsTheStream() {
    EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(1000));
    assertThatThrownBy(() -> channel.writeInbound(buf(HEADER + "<message></iq><iq/>")))
        .isInstanceOf(DecoderException.class).hasMessageContaining("malformed XML");
  }

  @Test
  void dtdFailsTheStream() {
    EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(1000));
    assertThatThrownBy(() -> channel.writeInbound(
        buf("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]>" + HEADER)))
        .isInstanceOf(DecoderException.class);
  }

  private static List<Object> decode(byte[] input, int fragment) {
    EmbeddedChannel channel = new EmbeddedChannel(new XmppStreamDecoder(1 << 20));
    for (int i = 0; i < input.length; i += fragment) {
      channel.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(fragment, input.length - i)));
    }
    return drain(channel);
  }

  private static List<Object> drain(EmbeddedChannel channel) {
    List<Object> events = new ArrayList<>();
    for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
      events.add(o);
    }
    return events;
  }

  private static io.netty.buffer.ByteBuf buf(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }
}
