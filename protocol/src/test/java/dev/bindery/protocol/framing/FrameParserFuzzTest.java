package dev.bindery.protocol.framing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bindery.protocol.testing.XmlTree;
import dev.bindery.protocol.xmpp.Stanza;
import dev.bindery.protocol.xmpp.StreamErrorCondition;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Coverage-guided fuzzing of {@link FrameParser} with any text as a client's WebSocket message
 * (RFC 7395 §3.3). Properties: the parser answers a {@link Frame} or a {@link FramingException}
 * with one of the stream errors it documents, never anything else; a message over the limit is
 * {@code policy-violation}; what {@link Frames} writes for a header parses back to the same
 * header, and an element's text parses back to the same element.
 */
class FrameParserFuzzTest {

  private static final int MAX_CHARS = 2048;
  private static final FrameParser PARSER = new FrameParser(MAX_CHARS);
  /** Re-reads what was written, which escaping may make longer than the input. */
  private static final FrameParser ROOMY = new FrameParser(1 << 20);
  private static final Set<StreamErrorCondition> CONDITIONS = Set.of(
      StreamErrorCondition.NOT_WELL_FORMED, StreamErrorCondition.POLICY_VIOLATION,
      StreamErrorCondition.RESTRICTED_XML, StreamErrorCondition.INVALID_NAMESPACE,
      StreamErrorCondition.UNSUPPORTED_STANZA_TYPE);

  @FuzzTest
  void parsesToAFrameOrAStreamError(byte[] input) throws FramingException {
    // Jetty hands over text messages as strings, decoded from valid UTF-8
    String text = new String(input, StandardCharsets.UTF_8);
    Frame frame;
    try {
      frame = PARSER.parse(text);
    } catch (FramingException e) {
      assertThat(e.condition()).as(e.getMessage()).isIn(CONDITIONS);
      if (text.length() > MAX_CHARS) {
        assertThat(e.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
      }
      return;
    }
    assertThat(text.length()).isBetween(1, MAX_CHARS);
    if (frame instanceof Frame.Open open) {
      // what the server writes carries from, version and xml:lang; to is the client's
      String written = Frames.open(open.from(), null, open.version(), open.lang());
      assertThat(ROOMY.parse(written)).as(written)
          .isEqualTo(new Frame.Open(null, open.from(), open.version(), open.lang()));
    } else if (frame instanceof Frame.Close close) {
      String written = close.seeOtherUri() == null
          ? Frames.close() : Frames.closeSeeOther(close.seeOtherUri());
      assertThat(ROOMY.parse(written)).as(written).isEqualTo(close);
    } else {
      Stanza stanza = ((Frame.Element) frame).stanza();
      Frame again = ROOMY.parse(stanza.xml());
      assertThat(again).as(stanza.xml()).isInstanceOf(Frame.Element.class);
      Stanza reparsed = ((Frame.Element) again).stanza();
      assertThat(reparsed.namespace()).isEqualTo(stanza.namespace());
      assertThat(reparsed.localName()).isEqualTo(stanza.localName());
      assertThat(XmlTree.parseUtf8(reparsed.xml())).isEqualTo(XmlTree.parseUtf8(stanza.xml()));
    }
  }
}
